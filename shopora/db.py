"""Engine, sessions, row locks and schema migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, SQLModel, create_engine, select

from shopora.config import ROOT, get_settings

ModelT = TypeVar("ModelT", bound=SQLModel)


# A writer waits this long for SQLite's write lock (held only by other writers, briefly).
BUSY_TIMEOUT_MS = 10_000
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_IMMEDIATE = "shopora_immediate"  # connection.info: this transaction holds the write lock


def _prepare_sqlite(engine: Engine) -> None:
    """SQLite: foreign keys on, WAL, and a write lock only for transactions that write.

    Transactions begin deferred, so a read (a dashboard, a catalog page) never takes the write
    lock and never makes a checkout wait. A transaction that is about to write is restarted
    as BEGIN IMMEDIATE first (see `writing`): writing from a deferred read snapshot fails at
    once with "database is locked" when another writer committed meanwhile, while BEGIN
    IMMEDIATE makes writers queue (busy timeout), which is what a row lock does on PostgreSQL.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")
        connection.info[_IMMEDIATE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(
        connection: Connection, cursor: Any, statement: str, _params: Any, context: Any, _many: Any
    ) -> None:
        if _writes(statement, context):
            _hold_write_lock(connection, cursor)


def _writes(statement: str, context: Any) -> bool:
    """A statement that writes, or a SELECT ... FOR UPDATE (SQLite's SQL drops the clause,
    but the statement declares that the transaction is about to write what it reads)."""
    if statement.lstrip()[:9].upper().startswith(_WRITES):
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def _hold_write_lock(connection: Connection, cursor: Any) -> None:
    """Turn the connection's deferred transaction, which has not written yet, into one that
    holds the write lock. What it read so far may be older than what it now writes over,
    exactly as under PostgreSQL's READ COMMITTED: rows a decision depends on are `lock`ed."""
    if not connection.in_transaction() or connection.info.get(_IMMEDIATE, True):
        return
    cursor.execute("COMMIT")  # nothing written yet: this only ends the read snapshot
    connection.info[_IMMEDIATE] = True  # set first: a failed BEGIN leaves nothing to upgrade
    cursor.execute("BEGIN IMMEDIATE")


def writing(session: Session) -> None:
    """Declare that the session's transaction writes: on SQLite it holds the write lock from
    here on, so every read after this sees the latest data and no other writer can interleave
    (PostgreSQL needs nothing: its writers lock the rows they change)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    connection = session.connection()
    if connection.info.get(_IMMEDIATE, True):
        return
    # Through SQLAlchemy, so that a busy timeout arrives as its OperationalError (a 503).
    connection.exec_driver_sql("COMMIT")
    connection.info[_IMMEDIATE] = True
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_busy(exc: BaseException) -> bool:
    """The database could not serve this in time: no pooled connection was free, or (SQLite)
    the write lock stayed taken past the busy timeout. Retrying shortly is the remedy."""
    if isinstance(exc, PoolTimeout):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def build_engine(url: str) -> Engine:
    settings = get_settings()
    pool = {
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_pool_overflow,
        # Waiting longer for a pooled connection only turns a busy moment into a hang:
        # the API answers 503 + Retry-After instead (shopora.api.errors).
        "pool_timeout": settings.database_pool_timeout_seconds,
    }
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **pool)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        pool = {}  # an in-memory database lives in one connection (SingletonThreadPool)
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    engine = create_engine(url, connect_args=connect_args, **pool)
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
    """Load a row under a write lock (FOR NO KEY UPDATE on PostgreSQL; on SQLite the
    transaction takes the database write lock first), refreshing any stale copy in the session.

    NO KEY: the lock serialises writers of the row but still lets other transactions insert
    rows that reference it (their foreign-key check takes a KEY SHARE lock), so locking a
    product never deadlocks against an order item being inserted for it."""
    writing(session)
    statement = (
        select(model)
        .where(model.id == row_id)  # type: ignore[attr-defined]
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner current table statistics. SQLite keeps none until ANALYZE,
    and without them it walks the status index and sorts rather than read the action
    queue's partial index (100 ms against 0.1 ms at 100k orders); a limited ANALYZE samples
    each index instead of reading it whole. PostgreSQL's autovacuum does this on its own;
    after a bulk load it may lag, so the benchmarks call this on both."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest migration (and, on SQLite, the planner's statistics
    up to date)."""
    target = url or get_settings().database_url
    if target.startswith("sqlite:///"):
        Path(make_url(target).database or "").parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(target), "head")
    if make_url(target).get_backend_name() == "sqlite":
        engine = build_engine(target)
        refresh_statistics(engine)  # at every start (`make run` migrates first)
        engine.dispose()
