"""Alembic environment: runs migrations against Settings' DATABASE_URL (or a given URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import shopora.models  # noqa: F401  (registers every table on SQLModel.metadata)
from shopora.config import get_settings
from shopora.db import build_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or get_settings().database_url
    engine = build_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
