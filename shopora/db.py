"""Engine, sessions, row locks and schema migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine, select

from shopora.config import ROOT, get_settings

ModelT = TypeVar("ModelT", bound=SQLModel)


def _prepare_sqlite(engine: Engine) -> None:
    """SQLite: enforce foreign keys, and take the write lock when a transaction begins.

    A deferred transaction that reads and then writes can fail with "database is locked"
    when another writer got there first; BEGIN IMMEDIATE makes writers queue instead
    (busy timeout), which is what a row lock does on PostgreSQL.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    _prepare_sqlite(engine)
    return engine


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    return build_engine(url or get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session for one use case; whatever it did not commit is rolled back.

    close() (not rollback()) ends it: the connection's transaction is rolled back, but rows
    already loaded stay readable for rendering instead of being expired.
    """
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def lock(session: Session, model: type[ModelT], row_id: int) -> ModelT | None:
    """Load a row under a write lock (FOR NO KEY UPDATE on PostgreSQL; SQLite's transaction
    already holds the database write lock), refreshing any stale copy in the session.

    NO KEY: the lock serialises writers of the row but still lets other transactions insert
    rows that reference it (their foreign-key check takes a KEY SHARE lock), so locking a
    product never deadlocks against an order item being inserted for it."""
    statement = (
        select(model)
        .where(model.id == row_id)  # type: ignore[attr-defined]
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest migration."""
    target = url or get_settings().database_url
    if target.startswith("sqlite:///"):
        Path(make_url(target).database or "").parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(target), "head")
