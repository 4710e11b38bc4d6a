"""Dashboard and analytics numbers read from the rollups: a few rows per shop day, whatever
the size of the order history.

Same definitions and result types as the plain-SQL functions over the source rows in
`shopora.services.analytics` (which remain, for tests and the benchmark's comparison);
periods are whole shop days (`DateRange.first_day` .. `last_day`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from shopora.models import (
    Category,
    OrderStatus,
    Product,
    RollupDay,
    RollupProductDay,
    RollupStatusDay,
)
from shopora.services.analytics import CategoryRevenue, DayPoint, Kpis, ProductSales
from shopora.services.analytics_base import DateRange, half_up, ratio


def within(day: Any, period: DateRange) -> list[ColumnElement[bool]]:
    """Rollup rows of the period's shop days."""
    return [day >= period.first_day, day <= period.last_day]


def kpis(*, session: Session, period: DateRange, compare: bool = False) -> Kpis:
    """Headline numbers for the period; with `compare`, also for the previous period."""
    current = _kpis(session, period)
    if not compare:
        return current
    return replace(current, previous=_kpis(session, period.previous()))


def _kpis(session: Session, period: DateRange) -> Kpis:
    d = RollupDay
    columns = (
        d.revenue_cents,
        d.paid_orders,
        d.items_sold,
        d.refunds_cents,
        d.refund_count,
        d.placed_orders,
        d.converted_orders,
    )
    statement = select(*[func.coalesce(func.sum(col(c)), 0) for c in columns]).where(
        *within(col(d.day), period)
    )
    row = session.execute(statement).one()
    revenue, paid, items, refunded, refunds, placed, converted = (int(v) for v in row)
    return Kpis(
        revenue_cents=revenue,
        refunds_cents=refunded,
        net_revenue_cents=revenue - refunded,
        paid_orders=paid,
        aov_cents=half_up(revenue, paid),
        items_sold=items,
        orders_placed=placed,
        conversion=ratio(converted, placed),
        refund_count=refunds,
    )


def daily(session: Session, period: DateRange) -> dict[date, RollupDay]:
    """The period's order-level rollup rows by shop day (days without a row are absent)."""
    statement = select(RollupDay).where(*within(col(RollupDay.day), period))
    return {row.day: row for row in session.exec(statement).all()}


def revenue_by_day(
    *, session: Session, period: DateRange, partial_day: date | None = None
) -> list[DayPoint]:
    """Revenue, paid orders and refunds per shop day of the period, zeros included;
    `partial_day` (today) is marked as not over yet."""
    rows = daily(session, period)
    empty = RollupDay(day=period.first_day)
    return [
        DayPoint(
            day,
            rows.get(day, empty).revenue_cents,
            rows.get(day, empty).paid_orders,
            refunds_cents=rows.get(day, empty).refunds_cents,
            partial=day == partial_day,
        )
        for day in period.days()
    ]


def revenue_by_category(*, session: Session, period: DateRange) -> list[CategoryRevenue]:
    """Goods revenue and units per category in the period, largest first."""
    p = RollupProductDay
    revenue = func.sum(col(p.gross_cents))
    statement = (
        select(col(Category.id), col(Category.name), revenue, func.sum(col(p.units)))
        .join(Product, col(Product.category_id) == col(Category.id))
        .join(p, col(p.product_id) == col(Product.id))
        .where(*within(col(p.day), period))
        .group_by(col(Category.id), col(Category.name))
        .having(func.sum(col(p.units)) > 0)
        .order_by(revenue.desc(), col(Category.name))
    )
    return [
        CategoryRevenue(category_id or 0, name, int(cents), int(units))
        for category_id, name, cents, units in session.exec(statement).all()
    ]


def top_products(*, session: Session, period: DateRange, limit: int = 10) -> list[ProductSales]:
    """The best-selling products of the period by goods revenue, then units (limit 1-100)."""
    p = RollupProductDay
    revenue = func.sum(col(p.gross_cents))
    units = func.sum(col(p.units))
    statement = (
        select(Product, units, revenue)
        .join(p, col(p.product_id) == col(Product.id))
        .where(*within(col(p.day), period))
        # Grouping by the primary key lets the other product columns be selected too.
        .group_by(col(Product.id))
        .having(units > 0)
        .order_by(revenue.desc(), units.desc(), col(Product.id))
        .limit(max(1, min(limit, 100)))
    )
    return [
        ProductSales(product.id or 0, product.name, product.sku, int(sold), int(cents))
        for product, sold, cents in session.exec(statement).all()
    ]


def orders_by_status(*, session: Session, period: DateRange) -> dict[str, int]:
    """Orders placed in the period by their status now; every status is present."""
    s = RollupStatusDay
    statement = (
        select(col(s.status), func.sum(col(s.orders)))
        .where(*within(col(s.day), period))
        .group_by(col(s.status))
    )
    counts = {status: int(count) for status, count in session.exec(statement).all()}
    return {status.value: counts.get(status.value, 0) for status in OrderStatus}
