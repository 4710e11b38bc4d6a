"""orders: the shipping address's state or region ("Springfield, IL 12345")

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Orders placed before this revision had no region: an empty one, not NULL.
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("shipping_region", sa.String(length=100), nullable=False, server_default="")
        )


def downgrade() -> None:
    # Not batch mode: on SQLite that copies the table and loses what it cannot reflect
    # (expression indexes such as ix_orders_email_lower, the search triggers). SQLite has
    # had DROP COLUMN since 3.35.
    op.drop_column("orders", "shipping_region")
