"""The benchmark generator leaves a shop whose rollups and search indexes match its orders. On
SQLite it loads with a page cache that holds its working set and rebuilds the full-text indexes
once instead of through a trigger per row (either way, a million orders took over half an
hour)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlmodel import Session

from bench.generate import LOAD_CACHE_KIB, generate
from shopora.models import Order
from shopora.services.rollups_rebuild import differences


def test_generated_orders_keep_the_rollups_in_step(engine: Engine) -> None:
    generate(engine, orders=120)

    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Order)).one()[0] == 120
        assert differences(session) == []


def test_sqlite_loads_with_a_large_page_cache_and_gives_the_default_back(
    sqlite_url: str,
) -> None:
    from shopora.db import build_engine

    engine = build_engine(sqlite_url)
    caches: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def note_cache(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO orders "):
            caches.append(cursor.connection.execute("PRAGMA cache_size").fetchone()[0])

    generate(engine, orders=30)

    assert caches and set(caches) == {-LOAD_CACHE_KIB}
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    engine.dispose()


def test_sqlite_full_text_indexes_match_their_tables_and_keep_their_triggers(
    sqlite_url: str,
) -> None:
    from shopora.db import build_engine

    engine = build_engine(sqlite_url)
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    with engine.connect() as conn:
        before = conn.exec_driver_sql(triggers).all()

    generate(engine, orders=40)

    with engine.begin() as conn:
        assert conn.exec_driver_sql(triggers).all() == before
        conn.exec_driver_sql("INSERT INTO order_text(order_text) VALUES ('integrity-check')")
        found = conn.exec_driver_sql(
            "SELECT count(*) FROM order_text WHERE order_text MATCH '\"@bench.example\"'"
        ).scalar()
        scanned = conn.exec_driver_sql(
            "SELECT count(*) FROM orders WHERE email LIKE '%@bench.example'"
        ).scalar()
    assert found == scanned == 40
    engine.dispose()
