"""`make bench`: operator screens at 10 k and 100 k orders (1 M behind BENCH_SIZES), on SQLite
and PostgreSQL (when SHOPORA_TEST_DATABASE_URL points at a server).

    python -m bench.run [--sizes 10000,100000] [--out docs/PERFORMANCE.md]

For each size and database: generate the data (`bench.generate`), run `bench.probe` in a new
process (dashboard route first call / warm, analytics data, plain-SQL dashboard, AppTest,
peak memory), then every entry of MEASUREMENTS in this process. To add a measurement (search,
load), append `(name, function)` to MEASUREMENTS: the function gets the Context and returns
{figure name: milliseconds}.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, delete, select

from bench.generate import generate
from bench.load_setup import postgres_database
from bench.report import merge, render
from shopora.db import build_engine, migrate
from shopora.models import CartItem, Product, User
from shopora.services import lifecycle, orders, shipping
from shopora.services.actors import Actor
from shopora.services.analytics_base import DateRange
from shopora.services.dashboard import dashboard


@dataclass
class Context:
    label: str  # "SQLite" / "PostgreSQL"
    url: str
    engine: Engine
    orders: int


@dataclass
class Result:
    label: str
    orders: int
    generate_s: float
    figures: dict[str, float] = field(default_factory=dict)


Measurement = Callable[[Context], dict[str, float]]


def place_and_cancel(engine: Engine) -> Callable[[], None]:
    """Cart → pending order with stock held (the checkout button), then cancelled again."""
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

    return place


def timed_ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def checkout_during_dashboard(ctx: Context) -> dict[str, float]:
    """A checkout alone, and while another thread keeps loading the dashboard."""
    place = place_and_cancel(ctx.engine)
    place()
    alone = timed_ms(place, 10)
    stop = threading.Event()

    def load() -> None:
        period = DateRange.preset("90d")
        while not stop.is_set():
            with Session(ctx.engine, expire_on_commit=False) as session:
                dashboard(session=session, period=period)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    try:
        during = timed_ms(place, 10)
    except OperationalError as exc:
        # Reads begin deferred and take no write lock, so this should not happen; if a writer
        # still waits past its busy timeout, report it instead of losing the whole run.
        print(f"checkout during dashboard failed: {exc.orig}", flush=True)
        during = math.nan
    finally:
        stop.set()
        loader.join()
    return {"checkout alone": alone, "checkout during dashboard": during}


MEASUREMENTS: list[tuple[str, Measurement]] = [
    ("checkout during a dashboard load", checkout_during_dashboard),
]


def probe(url: str, orders_count: int) -> dict[str, float]:
    """The operator screens, measured in a new process (so "first call" means it)."""
    plain_repeat = 2 if orders_count >= 500_000 else 5
    command = [sys.executable, "-m", "bench.probe", "--database-url", url]
    command += ["--plain-repeat", str(plain_repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    raw = json.loads(done.stdout)
    figures = {
        f"{name} {kind}": value
        for name in raw
        if name != "peak_mb"
        for kind, value in raw[name].items()
    }
    figures["peak memory (MB)"] = raw["peak_mb"]
    return figures


def bench_database(label: str, url: str, orders_count: int) -> Result:
    migrate(url)
    engine = build_engine(url)
    started = time.perf_counter()
    generate(engine, orders=orders_count)
    engine.dispose()
    seconds = time.perf_counter() - started
    print(f"{label} {orders_count:,}: generated in {seconds:.1f} s", flush=True)
    return measure(label, url, orders_count, seconds)


def measure(label: str, url: str, orders_count: int, generate_s: float) -> Result:
    """Every figure for a database that already holds the benchmark data."""
    engine = build_engine(url)
    result = Result(label, orders_count, generate_s)
    result.figures.update(probe(url, orders_count))
    # The machine is shared: say how busy it was while this size was measured.
    result.figures["load average"] = os.getloadavg()[0]
    ctx = Context(label, url, engine, orders_count)
    for name, measure in MEASUREMENTS:
        if name == "checkout during a dashboard load" and label != "SQLite":
            continue
        result.figures.update(measure(ctx))
    engine.dispose()
    print(json.dumps(result.figures, indent=1), flush=True)
    return result


def run(sizes: list[int], databases: list[str]) -> list[Result]:
    results: list[Result] = []
    pg = os.environ.get("SHOPORA_TEST_DATABASE_URL")
    for size in sizes:
        if "sqlite" in databases:
            with tempfile.TemporaryDirectory() as tmp:
                results.append(bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", size))
        if "postgresql" in databases and pg:
            url, drop = postgres_database(pg, "shopora_bench")
            try:
                results.append(bench_database("PostgreSQL", url, size))
            finally:
                drop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,100000"))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also save the raw figures")
    parser.add_argument(
        "--merge", type=Path, nargs="*", default=[], help="earlier --json files to report too"
    )
    parser.add_argument(
        "--existing",
        nargs=3,
        metavar=("URL", "ORDERS", "GENERATE_S"),
        help="measure a database bench.generate already filled (e.g. a 1 M run)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    results = run(sizes, args.databases.split(","))
    if args.existing:
        url, count, seconds = args.existing
        label = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
        results.append(measure(label, url, int(count), float(seconds)))
    for earlier in args.merge:
        results += [Result(**row) for row in json.loads(earlier.read_text())]
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    report = render(
        results,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    )
    print(report)
    if args.out:
        # Other bench modules own sections of the same file: keep them.
        earlier = args.out.read_text() if args.out.exists() else ""
        args.out.write_text(merge(earlier, report))


if __name__ == "__main__":
    main()
