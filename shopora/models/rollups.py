"""Read models: daily facts the dashboard and analytics read instead of every order.

Each table is keyed by a shop day (`SHOP_TIMEZONE`) and changed, by increments, in the same
transaction as the event it counts; `shopora.services.rollups_rebuild` recomputes them from
the source rows. Which timestamp picks the day is part of each column's meaning:

- paid day (`Order.paid_at`): sales, units, gross, discounts, revenue, the refund cohort;
- refund day (`Refund.created_at`): refunds;
- placed day (`Order.created_at`): orders placed, converted, by status now, shoppers;
- shipped / delivered day: fulfilment durations (sums and counts, so averages are exact).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, text
from sqlmodel import Field, SQLModel


def counter() -> Any:
    """An integer that starts at 0 in the database too: upserts name only what they add."""
    return Field(default=0, nullable=False, sa_column_kwargs={"server_default": text("0")})


class RollupDay(SQLModel, table=True):
    """Order-level facts of one shop day."""

    __tablename__ = "rollup_days"

    day: date = Field(primary_key=True)
    # By paid day.
    paid_orders: int = counter()
    revenue_cents: int = counter()
    items_sold: int = counter()
    # The cohort paid that day: how many were refunded since, in part / in full, and how much.
    cohort_refunded_orders: int = counter()
    cohort_fully_refunded: int = counter()
    cohort_refunded_cents: int = counter()
    # By refund day.
    refunds_cents: int = counter()
    refund_count: int = counter()
    # By placed day.
    placed_orders: int = counter()
    converted_orders: int = counter()
    # By shipped / delivered day, in whole seconds.
    shipped_orders: int = counter()
    paid_to_shipped_seconds: int = counter()
    delivered_orders: int = counter()
    shipped_to_delivered_seconds: int = counter()


class RollupProductDay(SQLModel, table=True):
    """Goods sold per shop day × product. Units, gross and discount by paid day; refunds by
    refund day; net = gross − discount − refunds. The order's discount and its refunds
    (goods first, shipping last) are spread over its lines in proportion to their value."""

    __tablename__ = "rollup_product_days"

    day: date = Field(primary_key=True)
    product_id: int = Field(primary_key=True)
    units: int = counter()
    gross_cents: int = counter()
    discount_cents: int = counter()
    refund_cents: int = counter()
    net_cents: int = counter()


class RollupStatusDay(SQLModel, table=True):
    """Orders placed on a shop day, by their status now."""

    __tablename__ = "rollup_status_days"

    day: date = Field(primary_key=True)
    status: str = Field(primary_key=True, sa_type=String(16))
    orders: int = counter()


class RollupDiscountDay(SQLModel, table=True):
    """Orders sold on a shop day by the code they were placed with ('' = none)."""

    __tablename__ = "rollup_discount_days"

    day: date = Field(primary_key=True)
    code: str = Field(primary_key=True, sa_type=String(40))
    orders: int = counter()
    discount_cents: int = counter()
    revenue_cents: int = counter()


class RollupCustomerDay(SQLModel, table=True):
    """Per shop day of placing, per customer: orders placed and those paid now (the funnel
    counts distinct shoppers, which daily totals cannot give)."""

    __tablename__ = "rollup_customer_days"

    day: date = Field(primary_key=True)
    user_id: int = Field(primary_key=True)
    placed: int = counter()
    paid: int = counter()


class RollupDurationDay(SQLModel, table=True):
    """How many orders took `hours` whole hours to ship ('ship', by shipped day) or to be
    delivered ('deliver', by delivered day): the medians come from this histogram."""

    __tablename__ = "rollup_duration_days"

    day: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, sa_type=String(8))
    hours: int = Field(primary_key=True)
    orders: int = counter()


ROLLUP_TABLES: tuple[type[SQLModel], ...] = (
    RollupDay,
    RollupProductDay,
    RollupStatusDay,
    RollupDiscountDay,
    RollupCustomerDay,
    RollupDurationDay,
)


def table_of(model: type[SQLModel]) -> Any:
    """The SQLAlchemy table behind a rollup model (for Core inserts and upserts)."""
    return model.__table__  # type: ignore[attr-defined]
