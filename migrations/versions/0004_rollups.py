"""rollups: daily facts for the dashboard and analytics, backfilled from the source rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

The backfill replays every order through the same code the live hooks use
(`shopora.services.rollups_rebuild`), in the shop's time zone (`SHOP_TIMEZONE`), so the
rollups match `check-rollups` from the first moment on either database.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def _counts(*names: str) -> list[sa.Column[int]]:
    return [_count(name) for name in names]


def upgrade() -> None:
    op.create_table(
        "rollup_days",
        sa.Column("day", sa.Date(), nullable=False),
        *_counts(
            "paid_orders",
            "revenue_cents",
            "items_sold",
            "cohort_refunded_orders",
            "cohort_fully_refunded",
            "cohort_refunded_cents",
            "refunds_cents",
            "refund_count",
            "placed_orders",
            "converted_orders",
            "shipped_orders",
            "paid_to_shipped_seconds",
            "delivered_orders",
            "shipped_to_delivered_seconds",
        ),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "rollup_product_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        *_counts("units", "gross_cents", "discount_cents", "refund_cents", "net_cents"),
        sa.PrimaryKeyConstraint("day", "product_id"),
    )
    op.create_table(
        "rollup_status_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _count("orders"),
        sa.PrimaryKeyConstraint("day", "status"),
    )
    op.create_table(
        "rollup_discount_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        *_counts("orders", "discount_cents", "revenue_cents"),
        sa.PrimaryKeyConstraint("day", "code"),
    )
    op.create_table(
        "rollup_customer_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        *_counts("placed", "paid"),
        sa.PrimaryKeyConstraint("day", "user_id"),
    )
    op.create_table(
        "rollup_duration_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        _count("orders"),
        sa.PrimaryKeyConstraint("day", "kind", "hours"),
    )
    _backfill()


def _backfill() -> None:
    from shopora.services.rollups_rebuild import rebuild

    session = Session(bind=op.get_bind())
    rebuild(session)
    session.flush()


def downgrade() -> None:
    for table in (
        "rollup_duration_days",
        "rollup_customer_days",
        "rollup_discount_days",
        "rollup_status_days",
        "rollup_product_days",
        "rollup_days",
    ):
        op.drop_table(table)
