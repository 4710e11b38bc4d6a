"""The benchmark generator leaves a shop whose rollups match its orders, and loads SQLite with a
page cache that holds its working set (with the default 2 MB, a million orders took half an
hour of re-reading pages from the WAL)."""

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
