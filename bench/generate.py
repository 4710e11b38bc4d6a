"""Benchmark data: the seeded shop (demo logins work) plus N orders over the last year.

    python -m bench.generate --orders 1000000 --database-url sqlite:///var/bench.sqlite3

The fast path. Going through the services would take hours at a million orders, so rows are
planned in memory (`bench.history_rows`) and written with executemany in batches, in one
transaction. What stays true, as if the services had written them:
- totals (subtotal − discount + shipping), statuses and their timestamps, payment status and
  refunded totals, refunds and counted discount redemptions (with each code's count);
- pending orders hold their stock (reservations, `Product.reserved`);
- the rollups: every order is replayed through `rollups_rebuild.replay_facts` as it is
  planned and the totals are written at the end, so `python -m shopora.cli check-rollups`
  passes; ordinary indexes see ordinary inserts; SQLite's full-text indexes are rebuilt once
  at the end of the load, in the same transaction (see `_full_text_rebuilt_after`).
Not written: the per-order event timeline and per-sale stock ledger entries (stock on hand is
left as seeded, so the ledger still balances).
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import sqlmodel
from sqlalchemy import Engine, func, insert, select, update
from sqlmodel import Session

from bench.history_rows import Catalog, Planned, plan_order
from shopora.db import build_engine, migrate
from shopora.models import (
    DiscountCode,
    DiscountRedemption,
    Order,
    OrderItem,
    Product,
    Refund,
    StockReservation,
    User,
)
from shopora.models.base import utcnow
from shopora.seed import seed_database
from shopora.services import rollup_facts
from shopora.services.rollup_facts import Line, OrderFacts, Tally
from shopora.services.rollups_rebuild import replay_facts, write_all

BATCH = 5000
LOAD_CACHE_KIB = 256 * 1024
CUSTOMERS_PER_ORDER = 1 / 20
PASSWORD = "shopper123"
TABLES: dict[str, Any] = {
    "orders": Order.__table__,  # type: ignore[attr-defined]
    "items": OrderItem.__table__,  # type: ignore[attr-defined]
    "refunds": Refund.__table__,  # type: ignore[attr-defined]
    "redemptions": DiscountRedemption.__table__,  # type: ignore[attr-defined]
}


def generate(engine: Engine, *, orders: int, seed: int = 7, now: datetime | None = None) -> None:
    """Seed the shop (no demo history) and add `orders` orders over the last year."""
    rng = random.Random(seed)
    moment = now or utcnow()
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=False)
        catalog = _catalog(session)
    with engine.begin() as conn, _page_cache(conn), _full_text_rebuilt_after(conn):
        customers = _customers(conn, rng, max(50, int(orders * CUSTOMERS_PER_ORDER)), moment)
        first = int(conn.execute(select(func.max(Order.id))).scalar() or 0) + 1
        tally, used, holds = _orders(conn, rng, orders, first, customers, catalog, moment)
        _settle_codes(conn, used)
        _hold(conn, first, holds)
    with Session(engine) as session:
        write_all(session, tally)
        session.commit()
    analyze(engine)


@contextmanager
def _page_cache(conn: Any) -> Iterator[None]:
    """A page cache that holds the load's working set, for as long as the load runs (SQLite).
    Orders arrive in random customer order, so each insert touches index pages all over the
    file; with SQLite's default 2 MB cache every miss is re-read from the WAL (at 1 M orders,
    hundreds of GB of page copies: the load took half an hour instead of minutes)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    default = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        # The connection goes back to the pool: give it back as it was.
        conn.exec_driver_sql(f"PRAGMA cache_size={int(default)}")


@contextmanager
def _full_text_rebuilt_after(conn: Any) -> Iterator[None]:
    """SQLite's full-text (FTS5) indexes are kept by triggers, one FTS5 insert per row, with
    FTS5's savepoint work at every statement of the long transaction: that was most of the
    load (30 k orders: 55 s → 12 s wall without it; 1 M ran past half an hour). Within the
    load's transaction: set the triggers aside, then put them back exactly as the migration
    made them and rebuild each index once from its table."""
    if conn.dialect.name != "sqlite":
        yield
        return
    # Only external-content indexes can be rebuilt from their table in one pass; an index
    # that keeps its own text (order_text) stays on its triggers, slower but complete.
    indexes = [
        name
        for (name,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
            " AND sql LIKE '%content=%'"
        )
    ]
    triggers = (
        conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ("
            + " OR ".join("sql LIKE ?" for _ in indexes)
            + ")",
            tuple(f"%INSERT INTO {name}(%" for name in indexes),
        ).all()
        if indexes
        else []
    )
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)
    for name in indexes:
        conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")


def analyze(engine: Engine) -> None:
    """Fresh planner statistics: after a bulk load, PostgreSQL's are stale until autovacuum
    comes round, and SQLite has none until asked."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


def _catalog(session: Session) -> Catalog:
    active = [p for p in session.exec(sqlmodel.select(Product)).all() if p.active]
    products = [(p.id or 0, p.sku, p.name, p.price_cents) for p in active]
    now = utcnow()
    codes = {
        c.code: (c.id or 0, str(c.kind), c.value, c.min_subtotal_cents)
        for c in session.exec(sqlmodel.select(DiscountCode)).all()
        if c.active
        and c.max_redemptions is None
        and not c.once_per_customer
        and (c.ends_at is None or c.ends_at > now)
    }
    in_stock = [(p.id or 0, p.sku, p.name, p.price_cents) for p in active if p.available >= 50]
    return Catalog(products, codes, in_stock)


def _customers(
    conn: Any, rng: random.Random, count: int, now: datetime
) -> list[tuple[int, str, str]]:
    password = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode()
    first = int(conn.execute(select(func.max(User.id))).scalar() or 0) + 1
    rows: list[dict[str, Any]] = [
        {
            "id": first + n,
            "username": f"shopper{n}",
            "email": f"shopper{n}@bench.example",
            "name": f"Shopper {n}",
            "password_hash": password,
            "role": "customer",
            "is_active": True,
            "failed_logins": 0,
            "created_at": now - timedelta(days=400),
        }
        for n in range(count)
    ]
    for start in range(0, count, BATCH):
        conn.execute(insert(User.__table__), rows[start : start + BATCH])  # type: ignore[attr-defined]
    return [(r["id"], r["email"], r["name"]) for r in rows]


def _orders(
    conn: Any,
    rng: random.Random,
    count: int,
    first: int,
    customers: list[tuple[int, str, str]],
    catalog: Catalog,
    now: datetime,
) -> tuple[Tally, dict[int, int], list[tuple[int, int, int]]]:
    times = sorted(_created_times(rng, count, now))
    pending = max(1, count // 20_000)
    awaiting = min(300, max(3, count // 3000))
    # Every fourth order comes from a skewed draw: some customers order much more often.
    cumulative = list(itertools.accumulate(1 / (1 + n % 50) for n in range(len(customers))))
    tally, used, holds = Tally(), dict[int, int](), list[tuple[int, int, int]]()
    batch: list[Planned] = []
    for n, created in enumerate(times):
        fate = (
            "pending"
            if n >= count - pending
            else "awaiting"
            if n >= count - pending - awaiting
            else "settled"
        )
        customer = (
            rng.choices(customers, cum_weights=cumulative)[0]
            if n % 4 == 0
            else rng.choice(customers)
        )
        planned = plan_order(rng, first + n, created, customer, catalog, fate, now)
        _count(tally, planned)
        if planned.redemption:
            code_id = planned.redemption["discount_code_id"]
            used[code_id] = used.get(code_id, 0) + 1
        holds += [(first + n, product, quantity) for product, quantity in planned.holds]
        batch.append(planned)
        if len(batch) == BATCH:
            _write(conn, batch)
            batch = []
    _write(conn, batch)
    return tally, used, holds


def _created_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """A year of orders, growing ~60 % over it; the newest is a few seconds old."""
    year = 365 * 24 * 3600
    return [
        now - timedelta(seconds=year * (1 - rng.random() ** (1 / 1.3)) + 5) for _ in range(count)
    ]


def _count(tally: Tally, planned: Planned) -> None:
    order = planned.order
    facts = OrderFacts(
        user_id=order["user_id"],
        created_at=order["created_at"],
        subtotal_cents=order["subtotal_cents"],
        discount_cents=order["discount_cents"],
        total_cents=order["total_cents"],
        discount_code=order["discount_code"],
        lines=tuple(
            Line(i["product_id"], i["quantity"], i["line_total_cents"]) for i in planned.items
        ),
        paid_at=order["paid_at"],
    )
    replay_facts(
        tally,
        facts,
        status=order["status"],
        shipped_at=order["shipped_at"],
        delivered_at=order["delivered_at"],
        refunds=[(r["created_at"], r["amount_cents"]) for r in planned.refunds],
    )
    if planned.redemption and order["paid_at"] is not None:
        rollup_facts.redeemed(tally, facts, order["paid_at"], planned.redemption["amount_cents"])


def _write(conn: Any, batch: list[Planned]) -> None:
    if not batch:
        return
    rows = {
        "orders": [p.order for p in batch],
        "items": [item for p in batch for item in p.items],
        "refunds": [r for p in batch for r in p.refunds],
        "redemptions": [p.redemption for p in batch if p.redemption],
    }
    for name, table in TABLES.items():
        if rows[name]:
            _insert_many(conn, table.name, rows[name])


def _insert_many(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    """executemany straight through the driver: SQLAlchemy's per-value type processing
    costs more than the insert itself at this size. Values are stored as SQLAlchemy would
    (UTC timestamps; on SQLite as 'YYYY-MM-DD HH:MM:SS.ffffff' text)."""
    columns = list(rows[0])
    sqlite = conn.dialect.name == "sqlite"
    marks = ", ".join(["?" if sqlite else "%s"] * len(columns))
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    convert = _sqlite_value if sqlite else _utc_value
    conn.exec_driver_sql(statement, [tuple(convert(row[c]) for c in columns) for row in rows])


def _utc_value(value: Any) -> Any:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def _settle_codes(conn: Any, used: dict[int, int]) -> None:
    for code_id, count in used.items():
        conn.execute(
            update(DiscountCode.__table__)  # type: ignore[attr-defined]
            .where(DiscountCode.__table__.c.id == code_id)  # type: ignore[attr-defined]
            .values(redemption_count=DiscountCode.__table__.c.redemption_count + count)  # type: ignore[attr-defined]
        )


def _hold(conn: Any, first: int, holds: list[tuple[int, int, int]]) -> None:
    """Pending orders hold their stock (one unit of a product well in stock each)."""
    products = Product.__table__  # type: ignore[attr-defined]
    available = dict(
        conn.execute(select(products.c.id, products.c.stock_on_hand - products.c.reserved)).all()
    )
    rows = []
    for order_id, product_id, quantity in holds:
        held = min(quantity, available.get(product_id, 0))
        if held == quantity:
            available[product_id] -= held
            rows.append(
                {
                    "order_id": order_id,
                    "product_id": product_id,
                    "quantity": held,
                    "status": "held",
                    "created_at": utcnow(),
                }
            )
            conn.execute(
                update(products)
                .where(products.c.id == product_id)
                .values(reserved=products.c.reserved + held)
            )
    if rows:
        conn.execute(insert(StockReservation.__table__), rows)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    migrate(args.database_url)
    engine = build_engine(args.database_url)
    started = time.perf_counter()
    generate(engine, orders=args.orders, seed=args.seed)
    print(f"{args.orders:,} orders in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
