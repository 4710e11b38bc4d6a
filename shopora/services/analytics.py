"""Sales numbers for the operator dashboard and the analytics pages, aggregated in SQL.

Definitions (every function here and in analytics_*.py sticks to them):

- A period is a `DateRange`: half-open [start, end), aware UTC. Presets are whole UTC days
  ending with today; the comparison period is the one of equal length just before it.
- An order *counts as sold* when `paid_at` is not null (paid, processing, shipped, delivered,
  or cancelled after a refund). It is sold *in* the period its `paid_at` falls in.
- Revenue = Σ `Order.total_cents` of orders sold in the period (goods − discount + shipping).
- Refunds = Σ `Refund.amount_cents` with `Refund.created_at` in the period (whenever the
  order was paid). Net revenue = revenue − refunds (may be negative).
- Paid orders = orders sold in the period. AOV = revenue / paid orders, integer cents rounded
  half-up, 0 when there are none.
- Items sold = Σ `OrderItem.quantity` of orders sold in the period.
- Orders placed = orders with `created_at` in the period, whatever their status now.
  Conversion = those of them that are paid now / orders placed (0.0 when none were placed).
- Category and product revenue = Σ `OrderItem.line_total_cents` (goods before the order-level
  discount and shipping) of orders sold in the period, grouped by the product's category now.
- Orders by status = orders placed in the period, by their status now (every status listed).
- Per-day series bucket by UTC calendar day (`day_bucket`); days without sales appear as zeros.
- delta(current, previous) = percent change; None when previous is 0 and current is not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, func, select

from shopora.models import Category, Order, OrderItem, OrderStatus, Product, Refund
from shopora.services.analytics_base import (
    PRESETS,
    DateRange,
    Preset,
    as_date,
    daily_sales,
    day_bucket,
    dialect_of,
    half_up,
    paid_in,
    placed_in,
    ratio,
)
from shopora.services.analytics_ops import (
    FulfilmentSpeed,
    Funnel,
    RefundRate,
    fulfilment_speed,
    funnel,
    refund_rate,
)
from shopora.services.analytics_queue import ActionQueue, QueueOrder, StockAlert, action_queue
from shopora.services.analytics_trends import (
    CategoryShare,
    DiscountImpact,
    TrendPoint,
    category_mix,
    discount_impact,
    revenue_trend,
)

__all__ = [
    "PRESETS",
    "ActionQueue",
    "CategoryRevenue",
    "CategoryShare",
    "DateRange",
    "DayPoint",
    "DiscountImpact",
    "FulfilmentSpeed",
    "Funnel",
    "Kpis",
    "Preset",
    "ProductSales",
    "QueueOrder",
    "RefundRate",
    "StockAlert",
    "TrendPoint",
    "action_queue",
    "category_mix",
    "day_bucket",
    "delta",
    "discount_impact",
    "fulfilment_speed",
    "funnel",
    "kpis",
    "orders_by_status",
    "refund_rate",
    "revenue_by_category",
    "revenue_by_day",
    "revenue_trend",
    "top_products",
]


@dataclass(frozen=True)
class Kpis:
    """The dashboard's headline numbers for one period (see the module's definitions)."""

    revenue_cents: int
    refunds_cents: int
    net_revenue_cents: int
    paid_orders: int
    aov_cents: int
    items_sold: int
    orders_placed: int
    conversion: float
    refund_count: int
    previous: Kpis | None = None


@dataclass(frozen=True)
class DayPoint:
    day: date
    revenue_cents: int
    orders: int
    refunds_cents: int
    # Today: the day is not over, so its bars are still growing.
    partial: bool = False


@dataclass(frozen=True)
class CategoryRevenue:
    category_id: int
    category: str
    revenue_cents: int
    units: int


@dataclass(frozen=True)
class ProductSales:
    product_id: int
    name: str
    sku: str
    units: int
    revenue_cents: int


def delta(current: float, previous: float) -> float | None:
    """Percent change from previous to current; None when previous is 0 (0.0 if both are)."""
    if previous == 0:
        return 0.0 if current == 0 else None
    return (current - previous) / abs(previous) * 100.0


def kpis(*, session: Session, period: DateRange, compare: bool = False) -> Kpis:
    """Headline numbers for the period; with `compare`, also for the previous period."""
    current = _kpis(session, period)
    if not compare:
        return current
    return replace(current, previous=_kpis(session, period.previous()))


def _kpis(session: Session, period: DateRange) -> Kpis:
    sold = select(
        func.coalesce(func.sum(col(Order.total_cents)), 0), func.count(col(Order.id))
    ).where(*paid_in(period))
    revenue, paid = session.exec(sold).one()
    items = select(func.coalesce(func.sum(col(OrderItem.quantity)), 0)).join(
        Order, col(Order.id) == col(OrderItem.order_id)
    )
    items_sold = session.exec(items.where(*paid_in(period))).one()
    refunds = select(
        func.coalesce(func.sum(col(Refund.amount_cents)), 0), func.count(col(Refund.id))
    ).where(col(Refund.created_at) >= period.start, col(Refund.created_at) < period.end)
    refunded, refund_count = session.exec(refunds).one()
    # count(paid_at) counts only the non-null ones: the placed orders that are paid now.
    placed = select(func.count(col(Order.id)), func.count(col(Order.paid_at))).where(
        *placed_in(period)
    )
    orders_placed, converted = session.exec(placed).one()
    revenue, refunded = int(revenue), int(refunded)
    return Kpis(
        revenue_cents=revenue,
        refunds_cents=refunded,
        net_revenue_cents=revenue - refunded,
        paid_orders=int(paid),
        aov_cents=half_up(revenue, int(paid)),
        items_sold=int(items_sold),
        orders_placed=int(orders_placed),
        conversion=ratio(int(converted), int(orders_placed)),
        refund_count=int(refund_count),
    )


def revenue_by_day(*, session: Session, period: DateRange) -> list[DayPoint]:
    """Revenue, paid orders and refunds per UTC day of the period, zeros included."""
    sales = daily_sales(session, period)
    day = day_bucket(Refund.created_at, dialect_of(session)).label("day")
    statement = (
        select(day, func.sum(col(Refund.amount_cents)))
        .where(col(Refund.created_at) >= period.start, col(Refund.created_at) < period.end)
        .group_by(day)
    )
    refunds = {as_date(bucket): int(total) for bucket, total in session.exec(statement).all()}
    return [
        DayPoint(d, *sales.get(d, (0, 0)), refunds_cents=refunds.get(d, 0)) for d in period.days()
    ]


def revenue_by_category(*, session: Session, period: DateRange) -> list[CategoryRevenue]:
    """Goods revenue and units per category in the period, largest first."""
    revenue = func.sum(col(OrderItem.line_total_cents))
    statement = (
        select(col(Category.id), col(Category.name), revenue, func.sum(col(OrderItem.quantity)))
        .join(Product, col(Product.category_id) == col(Category.id))
        .join(OrderItem, col(OrderItem.product_id) == col(Product.id))
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(*paid_in(period))
        .group_by(col(Category.id), col(Category.name))
        .order_by(revenue.desc(), col(Category.name))
    )
    return [
        CategoryRevenue(category_id or 0, name, int(cents), int(units))
        for category_id, name, cents, units in session.exec(statement).all()
    ]


def top_products(*, session: Session, period: DateRange, limit: int = 10) -> list[ProductSales]:
    """The best-selling products of the period by goods revenue, then units (limit 1-100)."""
    revenue = func.sum(col(OrderItem.line_total_cents))
    units = func.sum(col(OrderItem.quantity))
    statement = (
        select(Product, units, revenue)
        .join(OrderItem, col(OrderItem.product_id) == col(Product.id))
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(*paid_in(period))
        # Grouping by the primary key lets the other product columns be selected too.
        .group_by(col(Product.id))
        .order_by(revenue.desc(), units.desc(), col(Product.id))
        .limit(max(1, min(limit, 100)))
    )
    return [
        ProductSales(product.id or 0, product.name, product.sku, int(sold), int(cents))
        for product, sold, cents in session.exec(statement).all()
    ]


def orders_by_status(*, session: Session, period: DateRange) -> dict[str, int]:
    """Orders placed in the period by their status now; every status is present."""
    statement = (
        select(col(Order.status), func.count(col(Order.id)))
        .where(*placed_in(period))
        .group_by(col(Order.status))
    )
    counts = {status: int(count) for status, count in session.exec(statement).all()}
    return {status.value: counts.get(status.value, 0) for status in OrderStatus}
