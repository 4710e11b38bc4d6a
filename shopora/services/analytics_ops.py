"""Analytics of operations: fulfilment speed, the purchase funnel, the refund rate.

Definitions as in `shopora.services.analytics`, plus:

- Fulfilment speed: paid→shipped over orders *shipped* in the period, shipped→delivered over
  orders *delivered* in the period. The database computes each duration in hours; the average
  and median of those durations are taken here (None when there is no sample).
- Funnel: `carts_with_items` = distinct shoppers who put something in a cart during the period:
  a cart item added in the period, or an order placed in the period (paying empties the cart,
  so the cart table alone would undercount). `pending_orders` = orders placed in the period
  (whatever their status now); `paid_orders` = those of them paid now. The same two steps are
  also counted in shoppers (`ordering_customers`, `paying_customers`), for a funnel in one unit.
- Refund rate (a cohort): of the orders sold in the period, those refunded since, in part or
  in full. rate = refunded_orders / paid_orders (0.0 when none); refunded_cents = Σ
  `Order.refunded_cents` of that cohort (unlike the KPI "refunds", which dates each refund).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, union
from sqlmodel import Session, col, func, select

from shopora.models import CartItem, Order
from shopora.services.analytics_base import (
    DateRange,
    dialect_of,
    hours_between,
    paid_in,
    placed_in,
    ratio,
)


@dataclass(frozen=True)
class FulfilmentSpeed:
    paid_to_shipped_hours_avg: float | None
    paid_to_shipped_hours_median: float | None
    paid_to_shipped_samples: int
    shipped_to_delivered_hours_avg: float | None
    shipped_to_delivered_hours_median: float | None
    shipped_to_delivered_samples: int


@dataclass(frozen=True)
class Funnel:
    carts_with_items: int
    pending_orders: int
    paid_orders: int
    ordering_customers: int
    paying_customers: int


@dataclass(frozen=True)
class RefundRate:
    refunded_orders: int
    paid_orders: int
    rate: float
    refunded_cents: int
    fully_refunded_orders: int


def fulfilment_speed(*, session: Session, period: DateRange) -> FulfilmentSpeed:
    """Average and median hours from paid to shipped and from shipped to delivered."""
    dialect = dialect_of(session)
    shipping = _hours(session, period, col(Order.paid_at), col(Order.shipped_at), dialect)
    delivery = _hours(session, period, col(Order.shipped_at), col(Order.delivered_at), dialect)
    return FulfilmentSpeed(
        paid_to_shipped_hours_avg=_mean(shipping),
        paid_to_shipped_hours_median=_median(shipping),
        paid_to_shipped_samples=len(shipping),
        shipped_to_delivered_hours_avg=_mean(delivery),
        shipped_to_delivered_hours_median=_median(delivery),
        shipped_to_delivered_samples=len(delivery),
    )


def _hours(session: Session, period: DateRange, start: Any, end: Any, dialect: str) -> list[float]:
    hours = hours_between(start, end, dialect)
    statement = (
        select(hours)
        .where(start.isnot(None), end >= period.start, end < period.end)
        .order_by(hours)
    )
    return [float(value) for value in session.exec(statement).all()]


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def funnel(*, session: Session, period: DateRange) -> Funnel:
    """Shoppers with a cart → orders placed → orders paid, for the period."""
    carts = select(col(CartItem.user_id)).where(
        col(CartItem.added_at) >= period.start, col(CartItem.added_at) < period.end
    )
    shoppers = union(carts, select(col(Order.user_id)).where(*placed_in(period))).subquery()
    carts_with_items = session.exec(select(func.count()).select_from(shoppers)).one()
    paying = case((col(Order.paid_at).isnot(None), col(Order.user_id)))
    statement = select(
        func.count(col(Order.id)),
        func.count(col(Order.paid_at)),
        func.count(func.distinct(col(Order.user_id))),
        func.count(func.distinct(paying)),
    ).where(*placed_in(period))
    placed, paid, ordering, paying_count = session.exec(statement).one()
    return Funnel(
        carts_with_items=int(carts_with_items),
        pending_orders=int(placed),
        paid_orders=int(paid),
        ordering_customers=int(ordering),
        paying_customers=int(paying_count),
    )


def refund_rate(*, session: Session, period: DateRange) -> RefundRate:
    """Share of the orders sold in the period that have been refunded since."""
    refunded = case((col(Order.refunded_cents) > 0, col(Order.id)))
    full = case((col(Order.refunded_cents) == col(Order.total_cents), col(Order.id)))
    statement = select(
        func.count(col(Order.id)),
        func.count(refunded),
        func.coalesce(func.sum(col(Order.refunded_cents)), 0),
        func.count(full),
    ).where(*paid_in(period))
    paid, refunded_orders, refunded_cents, fully = session.exec(statement).one()
    return RefundRate(
        refunded_orders=int(refunded_orders),
        paid_orders=int(paid),
        rate=ratio(int(refunded_orders), int(paid)),
        refunded_cents=int(refunded_cents),
        fully_refunded_orders=int(fully),
    )
