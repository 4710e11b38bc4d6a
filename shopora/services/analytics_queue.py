"""The operator's action queue: what needs doing now, oldest first.

- Awaiting fulfilment: orders paid but not shipped yet (status paid or processing), oldest
  `paid_at` first; their age is measured from `paid_at`.
- Needs attention: orders flagged `needs_attention`, oldest first; age from `paid_at`, or from
  `created_at` when the order was never paid.
- Low stock: active products with 0 < available <= low_stock_threshold (available = on hand
  − reserved). Sold out: active products with nothing available.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, true
from sqlmodel import Session, col, func, select

from shopora.models import Order, OrderStatus, Product, User
from shopora.models.base import utcnow

AWAITING = (OrderStatus.PAID, OrderStatus.PROCESSING)


@dataclass(frozen=True)
class QueueOrder:
    order_id: int
    number: str
    customer_name: str
    status: str
    total_cents: int
    paid_at: datetime | None
    age: timedelta
    attention_reason: str | None = None


@dataclass(frozen=True)
class StockAlert:
    product_id: int
    name: str
    sku: str
    available: int
    threshold: int


@dataclass(frozen=True)
class ActionQueue:
    """Each list holds at most `limit` rows; the *_total fields count them all."""

    awaiting_fulfilment: list[QueueOrder]
    needs_attention: list[QueueOrder]
    low_stock: list[StockAlert]
    sold_out: list[StockAlert]
    awaiting_total: int
    attention_total: int


def action_queue(*, session: Session, now: datetime | None = None, limit: int = 50) -> ActionQueue:
    """Orders to fulfil, orders flagged for attention, low-stock and sold-out products."""
    moment = now or utcnow()
    limit = max(1, min(limit, 500))
    awaiting = [awaiting_fulfilment(), col(Order.paid_at).isnot(None)]
    flagged = [col(Order.needs_attention) == true()]
    available = col(Product.stock_on_hand) - col(Product.reserved)
    low = [available > 0, available <= col(Product.low_stock_threshold)]
    return ActionQueue(
        awaiting_fulfilment=_orders(session, awaiting, col(Order.paid_at), moment, limit),
        needs_attention=_orders(session, flagged, col(Order.created_at), moment, limit),
        low_stock=_stock(session, low, limit),
        sold_out=_stock(session, [available <= 0], limit),
        awaiting_total=_count(session, awaiting),
        attention_total=_count(session, flagged),
    )


def awaiting_fulfilment() -> ColumnElement[bool]:
    """status IN ('paid', 'processing') with the values written into the SQL: the partial
    index ix_orders_awaiting serves only a query whose condition matches its own, and
    SQLite cannot see through bound parameters."""
    statuses = [s.value for s in AWAITING]
    return col(Order.status).in_(bindparam("awaiting", statuses, literal_execute=True))


def _orders(
    session: Session,
    where: Sequence[ColumnElement[bool]],
    oldest: Any,
    now: datetime,
    limit: int,
) -> list[QueueOrder]:
    statement = (
        select(Order, col(User.name))
        .join(User, col(User.id) == col(Order.user_id))
        .where(*where)
        .order_by(oldest, col(Order.id))
        .limit(limit)
    )
    return [
        QueueOrder(
            order_id=order.id or 0,
            number=order.number,
            customer_name=name,
            status=order.status,
            total_cents=order.total_cents,
            paid_at=order.paid_at,
            age=now - (order.paid_at or order.created_at),
            attention_reason=order.attention_reason if order.needs_attention else None,
        )
        for order, name in session.exec(statement).all()
    ]


def _count(session: Session, where: Sequence[ColumnElement[bool]]) -> int:
    return int(session.exec(select(func.count(col(Order.id))).where(*where)).one())


def _stock(session: Session, where: Sequence[ColumnElement[bool]], limit: int) -> list[StockAlert]:
    available = col(Product.stock_on_hand) - col(Product.reserved)
    statement = (
        select(Product)
        .where(col(Product.active), *where)
        .order_by(available, col(Product.name), col(Product.id))
        .limit(limit)
    )
    return [
        StockAlert(p.id or 0, p.name, p.sku, p.available, p.low_stock_threshold)
        for p in session.exec(statement).all()
    ]
