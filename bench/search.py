"""Order console searches at scale, on SQLite and PostgreSQL.

    python -m bench.search [--orders 10000 100000 1000000] [--repeat 15] [--keep DIR]

Builds the seeded shop plus `orders` orders from `orders / 20` customers with varied names
(bulk Core inserts: the database's own triggers and expression indexes keep the search
indexes in step), then times what an operator does in the console: an exact order number,
an exact email, a name fragment with a status, the first page unfiltered and page 50
(reached by following the keyset cursors). Each figure is the median and p95 of `repeat`
calls after one warm-up. `make bench` calls `run()` and adds `report()`'s section to
docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlmodel import Session, col

from bench.load_setup import postgres_database
from shopora.db import build_engine, migrate, refresh_statistics
from shopora.models import Order, User
from shopora.models.base import utcnow
from shopora.seed import seed_database
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import OrderPage, search_orders

FIRST = [
    "Ada",
    "Alan",
    "Alice",
    "Amara",
    "Ben",
    "Bruno",
    "Carla",
    "Chen",
    "Dana",
    "Diego",
    "Elena",
    "Emil",
    "Fatima",
    "Finn",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jana",
    "Jonas",
    "Kai",
    "Lara",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Mila",
    "Nadia",
    "Noah",
    "Omar",
    "Olga",
    "Paul",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Sara",
    "Tariq",
    "Tess",
    "Uma",
    "Vera",
    "Wei",
    "Xena",
    "Yara",
    "Yusuf",
    "Zoe",
    "Zara",
]
LAST = [
    "Smith",
    "Johnson",
    "Garcia",
    "Müller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Novak",
    "Silva",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Patel",
    "Okafor",
    "Hansen",
    "Larsen",
    "Moreau",
    "Fischer",
    "Weber",
    "Costa",
    "Ivanova",
    "Cohen",
    "Murphy",
    "O'Brien",
    "Schmidt",
    "Lopez",
    "Martin",
    "Bernard",
    "Jensen",
    "Nielsen",
    "Berg",
    "Lind",
    "Holm",
    "Varga",
    "Horvat",
    "Popescu",
    "Yilmaz",
    "Demir",
    "Sato",
    "Suzuki",
]
DOMAINS = ("mail.test", "post.test", "inbox.test", "example.test")
STATUSES = (
    ("delivered", "paid", 70), ("shipped", "paid", 8), ("processing", "paid", 3),
    ("paid", "paid", 3), ("pending", "unpaid", 5), ("cancelled", "unpaid", 6),
    ("cancelled", "refunded", 3), ("delivered", "partially_refunded", 2),
)  # fmt: skip
BATCH = 5_000


def _customers(count: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{first}.{last}".lower().replace("'", "").replace("ü", "ue")
        rows.append(
            {
                "username": f"shopper{n}",
                "email": f"{handle}{n}@{rng.choice(DOMAINS)}",
                "name": f"{first} {last}",
                "password_hash": "!",  # no password: these customers never sign in
                "role": "customer",
                "is_active": True,
                "failed_logins": 0,
                "created_at": utcnow(),
            }
        )
    return rows


def _orders(
    start: int, count: int, people: list[tuple[int, str, str]], rng: random.Random
) -> Iterator[dict[str, Any]]:
    now = utcnow()
    weights = [w for _, _, w in STATUSES]
    for n in range(start, start + count):
        user_id, email, name = rng.choice(people)
        status, paid, _ = rng.choices(STATUSES, weights)[0]
        created = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
        subtotal = rng.randrange(1_000, 40_000)
        refunded = {"refunded": subtotal, "partially_refunded": subtotal // 3}.get(paid, 0)
        yield {
            "number": f"SO-L{n}", "user_id": user_id, "status": status, "payment_status": paid,
            "currency": "usd", "subtotal_cents": subtotal, "discount_cents": 0,
            "shipping_cents": 0, "total_cents": subtotal, "refunded_cents": refunded,
            "email": email, "shipping_name": name if rng.random() < 0.9 else rng.choice(people)[2],
            "shipping_line1": "1 Bench St", "shipping_line2": "", "shipping_city": "Springfield",
            "shipping_postal_code": "12345", "shipping_country": "US",
            "shipping_method": "standard", "checkout_attempt": 1,
            "paid_at": created + timedelta(minutes=3) if paid != "unpaid" else None,
            "needs_attention": rng.random() < 0.001, "created_at": created, "updated_at": created,
        }  # fmt: skip


def generate(engine: Engine, orders: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with Session(engine) as session:
        seed_database(session=session, history=False)
    with engine.begin() as conn:
        conn.execute(insert(User), _customers(max(50, orders // 20), rng))
        found = conn.execute(select(col(User.id), col(User.email), col(User.name))).all()
        people = [(int(r[0] or 0), str(r[1]), str(r[2])) for r in found]
    for start in range(0, orders, BATCH):
        with engine.begin() as conn:
            conn.execute(
                insert(Order), list(_orders(start, min(BATCH, orders - start), people, rng))
            )


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[
        min(len(samples) - 1, round(0.95 * (len(samples) - 1)))
    ]


@dataclass(frozen=True)
class Row:
    database: str
    orders: int
    what: str
    median_ms: float
    p95_ms: float
    found: str


def searches(engine: Engine, label: str, orders: int, repeat: int) -> list[Row]:
    with Session(engine) as session:
        probe_number = f"SO-L{orders // 2}"
        probe = session.scalars(select(Order).where(col(Order.number) == probe_number)).one()
        number, email = probe.number, probe.email
        fragment = probe.shipping_name.split()[-1][:5].lower()
        page_50 = _cursor_of_page(session, 50)
        cases: list[tuple[str, OrderFilter]] = [
            (f"exact order number ({number})", OrderFilter(query=number)),
            (f"exact email ({email})", OrderFilter(query=email)),
            (
                f"name fragment '{fragment}' + status processing",
                OrderFilter(query=fragment, status="processing"),
            ),
            ("page 1, unfiltered", OrderFilter()),
            ("page 50, unfiltered (keyset cursor)", page_50),
        ]  # fmt: skip
        rows = []
        for what, wanted in cases:
            found: list[OrderPage] = []

            def one(wanted: OrderFilter = wanted, found: list[OrderPage] = found) -> None:
                found[:] = [search_orders(session=session, filters=wanted)]
                session.rollback()  # each search in its own short read transaction

            median, p95 = timed(one, repeat)
            rows.append(Row(label, orders, what, median, p95, f"{found[0].total_label} matches"))
    return rows


def _cursor_of_page(session: Session, page: int) -> OrderFilter:
    wanted = OrderFilter()
    for _ in range(page - 1):
        wanted = replace(wanted, after=search_orders(session=session, filters=wanted).next_after)
    return wanted


def bench(label: str, url: str, orders: int, repeat: int, *, reuse: bool = False) -> list[Row]:
    engine = build_engine(url)
    if not reuse:
        migrate(url)
        started = time.perf_counter()
        generate(engine, orders)
        print(f"{label}: {orders:,} orders generated in {time.perf_counter() - started:.0f} s")
    refresh_statistics(engine)  # what `make run` does at start (migrate) on SQLite
    rows = searches(engine, label, orders, repeat)
    engine.dispose()
    for row in rows:
        print(f"{label} {orders:,}: {row.what}: {row.median_ms:.1f} / {row.p95_ms:.1f} ms")
    return rows


def report(rows: list[Row], repeat: int) -> str:
    """The `## Order search` section of docs/PERFORMANCE.md."""
    lines = [
        "## Order search",
        "",
        f"`python -m bench.search` (part of `make bench`): median and p95 of {repeat} calls of "
        "`search_orders` (page of 50 rows + count capped at 10,000) after a warm-up, "
        f"{os.cpu_count()} cores. Targets at 1 M orders: exact number / exact email ≤ 20 ms, "
        "name fragment + status ≤ 150 ms, page 1 ≤ 30 ms.",
        "",
        "| database | orders | search | median ms | p95 ms | found |",
        "|---|---:|---|---:|---:|---|",
    ]
    lines += [
        f"| {r.database} | {r.orders:,} | {r.what} | {r.median_ms:.1f} | {r.p95_ms:.1f} "
        f"| {r.found} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def run(
    orders: int, repeat: int, *, sqlite_only: bool = False, keep: Path | None = None
) -> list[Row]:
    """SQLite (kept in `keep`, and reused from there, when given) and PostgreSQL when
    SHOPORA_TEST_DATABASE_URL names a server."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = (keep or Path(tmp)) / f"search-{orders}.sqlite3"
        reuse = path.exists()
        rows += bench("SQLite", f"sqlite:///{path}", orders, repeat, reuse=reuse)
    pg = os.environ.get("SHOPORA_TEST_DATABASE_URL")
    if pg and not sqlite_only:
        url, drop = postgres_database(pg)
        try:
            rows += bench("PostgreSQL", url, orders, repeat)
        finally:
            drop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the SQLite files here")
    args = parser.parse_args()
    rows = [
        row
        for n in args.orders
        for row in run(n, args.repeat, sqlite_only=args.sqlite_only, keep=args.keep)
    ]
    print(report(rows, args.repeat))


if __name__ == "__main__":
    main()
