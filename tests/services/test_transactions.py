"""Reads never hold the write lock; writers still queue one behind the other.

On SQLite a transaction begins deferred and becomes BEGIN IMMEDIATE when it is about to
write (`shopora.db.writing`, a write statement, or a SELECT ... FOR UPDATE); PostgreSQL runs
the same tests to show the behaviour a caller sees is the same on both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from shopora.db import build_engine, is_busy, lock, writing
from shopora.models import Product
from shopora.services.uow import transaction
from tests.factories import make_product


def write_lock_is_free(engine: Engine) -> bool:
    """Whether another connection can take SQLite's write lock at once, without waiting."""
    raw = engine.raw_connection()
    cursor = raw.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("ROLLBACK")
        return True
    except Exception as exc:  # noqa: BLE001 - sqlite3.OperationalError: database is locked
        assert "locked" in str(exc)
        return False
    finally:
        raw.invalidate()  # never hand this altered connection back to the pool


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = build_engine(sqlite_url)
    yield engine
    engine.dispose()


def rename(engine: Engine, product_id: int, name: str) -> None:
    with Session(engine) as other, transaction(other):
        product = other.get(Product, product_id)
        assert product is not None
        product.name = name


def test_an_open_read_leaves_the_write_lock_free(sqlite_engine: Engine) -> None:
    # given a session that has read and keeps its transaction open
    engine = sqlite_engine
    with Session(engine) as reader:
        make_product(reader)
        reader.commit()
        reader.exec(select(Product)).all()
        assert reader.in_transaction()

        # then another connection can write at once
        assert write_lock_is_free(engine)


def test_a_unit_of_work_holds_the_write_lock_from_its_first_statement(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    with Session(engine) as session:
        product_id = make_product(session).id or 0
        session.commit()

        # when a unit of work has begun but not written anything yet
        with transaction(session):
            session.get(Product, product_id)

            # then no other writer can slip in between its reads and its writes
            assert not write_lock_is_free(engine)
        assert write_lock_is_free(engine)


def test_a_row_lock_takes_the_write_lock_even_after_earlier_reads(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    with Session(engine) as session:
        product_id = make_product(session).id or 0
        session.commit()
        session.exec(select(Product)).all()  # a deferred read transaction is open
        assert write_lock_is_free(engine)

        # when
        lock(session, Product, product_id)

        # then
        assert not write_lock_is_free(engine)
        session.rollback()


def test_a_writer_whose_reads_went_stale_still_writes(engine: Engine) -> None:
    # given a session that read a product before another writer changed it
    with Session(engine, expire_on_commit=False) as session:
        product = make_product(session, name="Desk lamp")
        session.commit()
        session.exec(select(Product)).all()
        rename(engine, product.id or 0, "Floor lamp")

        # when it then writes (SQLite: its read snapshot is older than the last commit)
        with transaction(session):
            fresh = lock(session, Product, product.id or 0)
            assert fresh is not None
            fresh.stock_on_hand += 1

        # then the write succeeded and saw the other writer's change
        assert fresh.name == "Floor lamp"
    with Session(engine) as check:
        stored = check.get(Product, product.id or 0)
        assert stored is not None
        assert (stored.name, stored.stock_on_hand) == ("Floor lamp", product.stock_on_hand)


def test_a_plain_flush_after_stale_reads_does_not_fail_as_locked(engine: Engine) -> None:
    # given a session that read before another writer committed
    with Session(engine, expire_on_commit=False) as session:
        product = make_product(session, name="Desk lamp")
        session.commit()
        session.exec(select(Product)).all()
        rename(engine, product.id or 0, "Floor lamp")

        # when it writes without declaring it first (no unit of work, no lock)
        make_product(session, name="Table lamp")
        session.commit()

    # then both writes are there
    with Session(engine) as check:
        names = set(check.exec(select(Product.name)).all())
        assert {"Floor lamp", "Table lamp"} <= names


def test_declaring_a_write_twice_is_harmless(engine: Engine) -> None:
    with Session(engine) as session:
        writing(session)
        writing(session)
        product = make_product(session)
        session.commit()
        assert product.id is not None


def test_migrating_a_sqlite_database_leaves_fresh_planner_statistics(sqlite_engine: Engine) -> None:
    # given a migrated database (the fixture's template ran `migrate`)
    with sqlite_engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        names = {row[0] for row in tables}

    # then ANALYZE has run: the planner can tell a selective partial index from a broad one
    assert "sqlite_stat1" in names


def test_a_writer_that_cannot_get_the_write_lock_in_time_reads_as_busy(
    sqlite_engine: Engine,
) -> None:
    # given another connection holds the write lock, and this one waits only briefly
    holder = sqlite_engine.raw_connection()
    holder.cursor().execute("BEGIN IMMEDIATE")
    try:
        with Session(sqlite_engine) as session:
            session.connection().exec_driver_sql("PRAGMA busy_timeout=50")

            # when / then: the error is SQLAlchemy's, which the API turns into a 503
            with pytest.raises(OperationalError) as waited:
                writing(session)
            assert is_busy(waited.value)
    finally:
        holder.rollback()
        holder.invalidate()
