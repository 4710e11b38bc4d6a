"""order search: exact-lookup, keyset and partial indexes; full-text over names and emails

Exact order number (its unique index) and exact email (lower(email)) are index lookups; free
text over the customer's name and email is a trigram index, kept in sync by the database
itself so that every insert path, bulk loads included, keeps it right:
- SQLite: FTS5 tables with the trigram tokenizer (substring matching, case-insensitive), as
  external-content indexes of orders and users, maintained by triggers;
- PostgreSQL: pg_trgm GIN expression indexes on lower(column), which LIKE '%text%' uses.
Partial indexes hold just the orders the action queue asks for.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWAITING = "status IN ('paid', 'processing') AND paid_at IS NOT NULL"
# (table, index, columns): the text each full-text index covers.
SEARCHED = (
    ('orders', 'orders_fts', ('shipping_name', 'email')),
    ('users', 'users_fts', ('name', 'email')),
)


def upgrade() -> None:
    op.create_index('ix_orders_email_lower', 'orders', [sa.text('lower(email)')])
    op.create_index('ix_orders_created_id', 'orders', ['created_at', 'id'])
    op.create_index(
        'ix_orders_awaiting',
        'orders',
        ['paid_at', 'id'],
        sqlite_where=sa.text(AWAITING),
        postgresql_where=sa.text(AWAITING),
    )
    op.create_index(
        'ix_orders_attention',
        'orders',
        ['created_at', 'id'],
        sqlite_where=sa.text('needs_attention = 1'),
        postgresql_where=sa.text('needs_attention'),
    )
    if op.get_bind().dialect.name == 'sqlite':
        for table, index, columns in SEARCHED:
            _sqlite_full_text(table, index, columns)
    else:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        for table, _index, columns in SEARCHED:
            for column in columns:
                op.execute(
                    f'CREATE INDEX ix_{table}_{column}_trgm ON {table} '
                    f'USING gin (lower({column}) gin_trgm_ops)'
                )


def _sqlite_full_text(table: str, index: str, columns: tuple[str, ...]) -> None:
    names = ', '.join(columns)
    new = ', '.join(f'new.{c}' for c in columns)
    old = ', '.join(f'old.{c}' for c in columns)
    op.execute(
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')"
    )
    # An external-content index is told the old values when a row goes away or changes.
    forget = f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
    learn = f'INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});'
    op.execute(f'CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {learn} END')
    op.execute(f'CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {forget} END')
    op.execute(
        f'CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} '
        f'BEGIN {forget} {learn} END'
    )
    op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")  # backfill


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for _table, index, _columns in SEARCHED:
            for event in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {index}_{event}')
            op.execute(f'DROP TABLE IF EXISTS {index}')
    else:
        for table, _index, columns in SEARCHED:
            for column in columns:
                op.execute(f'DROP INDEX IF EXISTS ix_{table}_{column}_trgm')
    for name in ('ix_orders_attention', 'ix_orders_awaiting', 'ix_orders_created_id'):
        op.drop_index(name, table_name='orders')
    op.drop_index('ix_orders_email_lower', table_name='orders')
