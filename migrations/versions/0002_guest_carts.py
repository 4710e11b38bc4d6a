"""guest carts: a visitor's cart before sign-in, kept across reloads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'guest_carts',
        sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('token'),
    )
    op.create_index('ix_guest_carts_updated_at', 'guest_carts', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_guest_carts_updated_at', table_name='guest_carts')
    op.drop_table('guest_carts')
