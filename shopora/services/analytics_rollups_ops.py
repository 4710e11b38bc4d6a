"""Analytics over time and of operations, read from the rollups (definitions as in
`analytics_trends` and `analytics_ops`; periods are whole shop days).

Medians of fulfilment durations come from an hourly histogram, so they are medians of whole
hours; the averages are exact (sums of seconds over counts).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from shopora.errors import ValidationFailed
from shopora.models import (
    CartItem,
    Category,
    Product,
    RollupCustomerDay,
    RollupDiscountDay,
    RollupDurationDay,
    RollupProductDay,
)
from shopora.services.analytics_base import DateRange, half_up, ratio, week_start
from shopora.services.analytics_ops import FulfilmentSpeed, Funnel, RefundRate
from shopora.services.analytics_rollups import daily, within
from shopora.services.analytics_trends import (
    MAX_WINDOW,
    Bucket,
    CategoryShare,
    DiscountImpact,
    TrendPoint,
)


def revenue_trend(*, session: Session, period: DateRange, window: int = 7) -> list[TrendPoint]:
    """Daily revenue with its trailing `window`-day moving average and the day's AOV."""
    if not 1 <= window <= MAX_WINDOW:
        raise ValidationFailed(f"The window is 1 to {MAX_WINDOW} days.", field="window")
    wide = period.extended_back(window - 1)
    rows = daily(session, wide)
    sales = {day: (row.revenue_cents, row.paid_orders) for day, row in rows.items()}
    revenues = [sales.get(day, (0, 0))[0] for day in wide.days()]
    lead = len(revenues) - len(period.days())
    points = []
    for offset, day in enumerate(period.days()):
        revenue, orders = sales.get(day, (0, 0))
        upto = lead + offset + 1
        trailing = sum(revenues[max(0, upto - window) : upto])
        points.append(
            TrendPoint(day, revenue, orders, half_up(trailing, window), half_up(revenue, orders))
        )
    return points


def category_mix(
    *, session: Session, period: DateRange, bucket: Bucket = "week"
) -> list[CategoryShare]:
    """Goods revenue per category per day or week of the period, zero-filled."""
    if bucket not in ("day", "week"):
        raise ValidationFailed("Group by day or by week.", field="bucket")
    p = RollupProductDay
    statement = (
        select(col(p.day), col(Category.name), func.sum(col(p.gross_cents)), func.sum(col(p.units)))
        .join(Product, col(Product.id) == col(p.product_id))
        .join(Category, col(Category.id) == col(Product.category_id))
        .where(*within(col(p.day), period), col(p.units) > 0)
        .group_by(col(p.day), col(Category.name))
    )
    found: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for day, name, cents, units in session.exec(statement).all():
        start = day if bucket == "day" else week_start(day)
        found[(start, name)][0] += int(cents)
        found[(start, name)][1] += int(units)
    buckets = period.days() if bucket == "day" else period.weeks()
    categories = sorted({name for _, name in found})
    return [
        CategoryShare(start, name, *found.get((start, name), (0, 0)))
        for start in buckets
        for name in categories
    ]


def discount_impact(*, session: Session, period: DateRange) -> list[DiscountImpact]:
    """Orders, discount given and revenue per code in the period; no-code orders last."""
    d = RollupDiscountDay
    statement = (
        select(
            col(d.code),
            func.sum(col(d.orders)),
            func.sum(col(d.discount_cents)),
            func.sum(col(d.revenue_cents)),
        )
        .where(*within(col(d.day), period))
        .group_by(col(d.code))
        .having(func.sum(col(d.orders)) > 0)
    )
    rows = [
        DiscountImpact(code or None, int(orders), int(discount), int(cents))
        for code, orders, discount, cents in session.exec(statement).all()
    ]
    return sorted(rows, key=lambda row: (row.code is None, -row.revenue_cents, row.code or ""))


def fulfilment_speed(*, session: Session, period: DateRange) -> FulfilmentSpeed:
    """Average (exact) and median (to the hour) hours from paid to shipped and from shipped
    to delivered, over orders shipped / delivered in the period."""
    rows = daily(session, period).values()
    shipped = sum(r.shipped_orders for r in rows)
    delivered = sum(r.delivered_orders for r in rows)
    ship_seconds = sum(r.paid_to_shipped_seconds for r in rows)
    deliver_seconds = sum(r.shipped_to_delivered_seconds for r in rows)
    return FulfilmentSpeed(
        paid_to_shipped_hours_avg=_average_hours(ship_seconds, shipped),
        paid_to_shipped_hours_median=_median_hours(session, period, "ship"),
        paid_to_shipped_samples=shipped,
        shipped_to_delivered_hours_avg=_average_hours(deliver_seconds, delivered),
        shipped_to_delivered_hours_median=_median_hours(session, period, "deliver"),
        shipped_to_delivered_samples=delivered,
    )


def _average_hours(seconds: int, count: int) -> float | None:
    return round(seconds / count / 3600, 2) if count else None


def _median_hours(session: Session, period: DateRange, kind: str) -> float | None:
    h = RollupDurationDay
    statement = (
        select(col(h.hours), func.sum(col(h.orders)))
        .where(*within(col(h.day), period), col(h.kind) == kind)
        .group_by(col(h.hours))
        .order_by(col(h.hours))
    )
    histogram = [(int(hours), int(count)) for hours, count in session.exec(statement).all()]
    total = sum(count for _, count in histogram)
    if total == 0:
        return None
    middle = sorted({(total - 1) // 2, total // 2})
    return float(sum(_nth(histogram, n) for n in middle) / len(middle))


def _nth(histogram: list[tuple[int, int]], n: int) -> int:
    seen = 0
    for hours, count in histogram:
        seen += count
        if n < seen:
            return hours
    raise IndexError(n)


def funnel(*, session: Session, period: DateRange) -> Funnel:
    """Shoppers with a cart → orders placed → orders paid, for the period."""
    c = RollupCustomerDay
    in_period = within(col(c.day), period)
    # One pass over the period's shopper-days for both distinct counts.
    paying = case((col(c.paid) > 0, col(c.user_id)))
    ordering, paying_count = session.exec(
        select(func.count(func.distinct(col(c.user_id))), func.count(func.distinct(paying))).where(
            *in_period, col(c.placed) > 0
        )
    ).one()
    carts = session.exec(
        select(col(CartItem.user_id))
        .where(col(CartItem.added_at) >= period.start, col(CartItem.added_at) < period.end)
        .distinct()
    ).all()
    # Live carts are few: look up only those shoppers among the period's orderers.
    also_ordered = (
        session.exec(
            select(func.count(func.distinct(col(c.user_id)))).where(
                *in_period, col(c.placed) > 0, col(c.user_id).in_(list(carts))
            )
        ).one()
        if carts
        else 0
    )
    rows = daily(session, period).values()
    return Funnel(
        carts_with_items=int(ordering) + len(carts) - int(also_ordered),
        pending_orders=sum(r.placed_orders for r in rows),
        paid_orders=sum(r.converted_orders for r in rows),
        ordering_customers=int(ordering),
        paying_customers=int(paying_count),
    )


def refund_rate(*, session: Session, period: DateRange) -> RefundRate:
    """Share of the orders sold in the period that have been refunded since."""
    rows = list(daily(session, period).values())
    paid = sum(r.paid_orders for r in rows)
    refunded = sum(r.cohort_refunded_orders for r in rows)
    return RefundRate(
        refunded_orders=refunded,
        paid_orders=paid,
        rate=ratio(refunded, paid),
        refunded_cents=sum(r.cohort_refunded_cents for r in rows),
        fully_refunded_orders=sum(r.cohort_fully_refunded for r in rows),
    )
