"""Analytics over time: revenue trend, category mix, discount impact.

Definitions as in `shopora.services.analytics`, plus:

- Moving average of day D = Σ revenue of the `window` UTC days ending with D, divided by
  `window`, rounded half-up; days before the period are included so the first point is a
  full window too. A day's AOV = that day's revenue / paid orders (0 when none).
- Category mix = goods revenue (Σ line totals) per category per UTC day or ISO week (Monday);
  every bucket × every category that sold in the period is present, zeros included.
- Discount impact = orders sold in the period grouped by the code they were placed with
  (`Order.discount_code`), with their revenue and the discount they received: the redemption's
  amount when one was recorded (for free shipping, the shipping waived), else
  `Order.discount_cents`. Orders without a code form one row with `code=None`, listed last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session, col, func, select

from shopora.errors import ValidationFailed
from shopora.models import Category, DiscountRedemption, Order, OrderItem, Product
from shopora.services.analytics_base import (
    DateRange,
    as_date,
    daily_sales,
    day_bucket,
    dialect_of,
    half_up,
    paid_in,
    week_bucket,
)

Bucket = Literal["day", "week"]
MAX_WINDOW = 90


@dataclass(frozen=True)
class TrendPoint:
    day: date
    revenue_cents: int
    orders: int
    moving_average_cents: int
    aov_cents: int


@dataclass(frozen=True)
class CategoryShare:
    bucket_start: date
    category: str
    revenue_cents: int
    units: int


@dataclass(frozen=True)
class DiscountImpact:
    code: str | None
    orders: int
    discount_cents: int
    revenue_cents: int

    @property
    def aov_cents(self) -> int:
        return half_up(self.revenue_cents, self.orders)


def revenue_trend(*, session: Session, period: DateRange, window: int = 7) -> list[TrendPoint]:
    """Daily revenue with its trailing `window`-day moving average and the day's AOV."""
    if not 1 <= window <= MAX_WINDOW:
        raise ValidationFailed(f"The window is 1 to {MAX_WINDOW} days.", field="window")
    wide = period.extended_back(window - 1)
    sales = daily_sales(session, wide)
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
    dialect = dialect_of(session)
    when = (day_bucket if bucket == "day" else week_bucket)(Order.paid_at, dialect).label("b")
    statement = (
        select(
            when,
            col(Category.name),
            func.sum(col(OrderItem.line_total_cents)),
            func.sum(col(OrderItem.quantity)),
        )
        .select_from(OrderItem)
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .join(Product, col(Product.id) == col(OrderItem.product_id))
        .join(Category, col(Category.id) == col(Product.category_id))
        .where(*paid_in(period))
        .group_by(when, col(Category.name))
    )
    found = {
        (as_date(start), name): (int(cents), int(units))
        for start, name, cents, units in session.exec(statement).all()
    }
    buckets = period.days() if bucket == "day" else period.weeks()
    categories = sorted({name for _, name in found})
    return [
        CategoryShare(start, name, *found.get((start, name), (0, 0)))
        for start in buckets
        for name in categories
    ]


def discount_impact(*, session: Session, period: DateRange) -> list[DiscountImpact]:
    """Orders, discount given and revenue per code in the period; no-code orders last."""
    given = func.coalesce(col(DiscountRedemption.amount_cents), col(Order.discount_cents))
    statement = (
        select(
            col(Order.discount_code),
            func.count(col(Order.id)),
            func.sum(given),
            func.sum(col(Order.total_cents)),
        )
        .outerjoin(DiscountRedemption, col(DiscountRedemption.order_id) == col(Order.id))
        .where(*paid_in(period))
        .group_by(col(Order.discount_code))
    )
    rows = [
        DiscountImpact(code, int(orders), int(discount), int(cents))
        for code, orders, discount, cents in session.exec(statement).all()
    ]
    return sorted(rows, key=lambda row: (row.code is None, -row.revenue_cents, row.code or ""))
