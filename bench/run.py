"""Measure the paths a reviewer and an operator feel, on SQLite and (when reachable) PostgreSQL.

    python -m bench.run [--orders 50000] [--repeat 20] [--out docs/PERFORMANCE.md]

Each figure is the median and the 95th percentile of `repeat` timed calls after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, delete, select

from bench.generate import generate
from shopora.db import build_engine, migrate
from shopora.models import CartItem, Product, User
from shopora.services import analytics, catalog, lifecycle, orders, shipping
from shopora.services.actors import Actor
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import search_orders
from shopora.services.analytics import DateRange
from shopora.services.analytics_queue import action_queue

Row = tuple[str, str, float, float]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def read_paths(engine: Engine, repeat: int) -> list[tuple[str, float, float]]:
    period = DateRange.preset("90d")
    results = []
    with Session(engine, expire_on_commit=False) as session:
        checks: list[tuple[str, Callable[[], object]]] = [
            (
                "catalog page (filters + sort + count)",
                lambda: catalog.list_products(
                    session=session, filters=catalog.ProductFilter(search="a", sort="price_asc")
                ),
            ),
            (
                "dashboard KPIs, 90 days vs previous",
                lambda: analytics.kpis(session=session, period=period, compare=True),
            ),
            (
                "revenue by day, 90 days",
                lambda: analytics.revenue_by_day(session=session, period=period),
            ),
            (
                "top products, 90 days",
                lambda: analytics.top_products(session=session, period=period),
            ),
            ("action queue", lambda: action_queue(session=session)),
            (
                "order console search (page 1 of all)",
                lambda: search_orders(session=session, filters=OrderFilter()),
            ),
        ]
        for name, fn in checks:
            median, p95 = timed(fn, repeat)
            session.rollback()
            results.append((name, median, p95))
    return results


def place_order_path(engine: Engine, repeat: int) -> tuple[str, float, float]:
    """Cart → pending order with stock held (the checkout button), one customer at a time."""
    with Session(engine, expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.username == "customer")).one()
        product = session.exec(select(Product).where(Product.sku == "OFF-003")).one()
        user_id, product_id = user.id or 0, product.id or 0
    address = shipping.ShippingAddress("Bench", "1 Load St", "Springfield", "12345", "US")

    def place() -> None:
        with Session(engine, expire_on_commit=False) as session:
            session.add(CartItem(user_id=user_id, product_id=product_id, quantity=1))
            session.commit()
            order = orders.place_order(
                session=session, user_id=user_id, shipping=address, idempotency_key=uuid.uuid4().hex
            )
            lifecycle.cancel_pending(session, order, Actor.system(), reason="bench")
            session.exec(delete(CartItem))
            session.commit()

    median, p95 = timed(place, repeat)
    return "place order (cart → pending, stock held) + cancel", median, p95


def bench_database(label: str, url: str, orders_count: int, repeat: int) -> list[Row]:
    migrate(url)
    engine = build_engine(url)
    started = time.perf_counter()
    generate(engine, orders=orders_count)
    print(f"{label}: generated {orders_count} orders in {time.perf_counter() - started:.1f} s")
    rows = [(label, name, m, p) for name, m, p in read_paths(engine, repeat)]
    rows.append((label, *place_order_path(engine, repeat)))
    engine.dispose()
    return rows


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    admin = build_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"shopora_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def report(rows: list[Row], orders_count: int, repeat: int) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`python -m bench.run`): the seeded catalog plus "
        f"{orders_count:,} paid orders over a year; each figure is the median and 95th "
        f"percentile of {repeat} calls after a warm-up, on {platform.machine()} with "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| database | path | median (ms) | p95 (ms) |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {db} | {name} | {m:.1f} | {p:.1f} |" for db, name, m, p in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.orders, args.repeat)
    pg = os.environ.get("SHOPORA_TEST_DATABASE_URL")
    if pg:
        url, drop = postgres_database(pg)
        try:
            rows += bench_database("PostgreSQL", url, args.orders, args.repeat)
        finally:
            drop()
    text_report = report(rows, args.orders, args.repeat)
    print(text_report)
    if args.out:
        args.out.write_text(text_report)


if __name__ == "__main__":
    main()
