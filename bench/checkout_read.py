"""A checkout while a long read runs (SQLite): does the shopper wait for the dashboard?

    python -m bench.checkout_read [--orders 100000] [--repeat 10] [--keep DIR]

Times placing an order (cart → pending order, stock held; then cancelled) alone, then while
another session keeps one read transaction open for the whole time, aggregating every order
the plain-SQL way a dashboard would. A read begins deferred and never takes the write lock,
so the checkout should cost what it costs alone. For comparison the same read is then run
as a writer would (`writing(session)`: BEGIN IMMEDIATE, as every transaction began before),
which makes each checkout wait for the read to end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session, delete, select

from bench.search import generate
from shopora.db import build_engine, migrate, writing
from shopora.models import CartItem, Product, User
from shopora.services import lifecycle, orders, shipping
from shopora.services.actors import Actor

DASHBOARD_SQL = text(
    "SELECT status, payment_status, count(*), sum(total_cents - refunded_cents), "
    "min(created_at), max(created_at) FROM orders GROUP BY status, payment_status"
)
ADDRESS = shipping.ShippingAddress("Bench", "1 Load St", "Springfield", "12345", "US")


def place_and_cancel(engine: Engine, user_id: int, product_id: int) -> float:
    """Milliseconds to put a product in the cart and place the order (the checkout button);
    it is cancelled afterwards."""
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        session.add(CartItem(user_id=user_id, product_id=product_id, quantity=1))
        session.commit()
        order = orders.place_order(
            session=session, user_id=user_id, shipping=ADDRESS, idempotency_key=uuid.uuid4().hex
        )
        elapsed = (time.perf_counter() - started) * 1000
        lifecycle.cancel_pending(session, order, Actor.system(), reason="bench")
        session.exec(delete(CartItem))
        session.commit()
    return elapsed


WRITER_READ_SECONDS = 2.0


def long_read(engine: Engine, stop: threading.Event, *, as_writer: bool) -> None:
    """One transaction that keeps aggregating every order until told to stop (as a writer,
    for WRITER_READ_SECONDS: the checkout beside it cannot finish before it ends)."""
    deadline = time.perf_counter() + (WRITER_READ_SECONDS if as_writer else 3600)
    with Session(engine) as session:
        if as_writer:
            writing(session)
        while not stop.is_set() and time.perf_counter() < deadline:
            session.execute(DASHBOARD_SQL).all()


def checkouts(engine: Engine, repeat: int, *, during: bool | None) -> list[float]:
    """`during`: None alone, False beside a deferred read, True beside a writer's read."""
    with Session(engine) as session:
        user_id = session.exec(select(User.id).where(User.username == "customer")).one()
        product_id = session.exec(select(Product.id).where(Product.sku == "OFF-003")).one()
    stop = threading.Event()
    reader = None
    if during is not None:
        reader = threading.Thread(
            target=long_read, args=(engine, stop), kwargs={"as_writer": during}
        )
        reader.start()
        time.sleep(0.5)  # the read is under way
    samples = []
    for _ in range(repeat):
        samples.append(place_and_cancel(engine, user_id or 0, product_id or 0))
        if during:
            break  # it waited for the whole read: once is enough to show it
    stop.set()
    if reader is not None:
        reader.join()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = (args.keep or Path(tmp)) / f"search-{args.orders}.sqlite3"
        engine = build_engine(f"sqlite:///{path}")
        if not path.exists():
            migrate(f"sqlite:///{path}")
            generate(engine, args.orders)
        with Session(engine) as session:
            started = time.perf_counter()
            session.execute(DASHBOARD_SQL).all()
            read_ms = (time.perf_counter() - started) * 1000
        print(f"SQLite, {args.orders:,} orders; one pass of the dashboard read: {read_ms:.0f} ms")
        for label, during in (("alone", None), ("during a long read", False)):
            samples = checkouts(engine, args.repeat, during=during)
            median, worst = statistics.median(samples), max(samples)
            print(f"checkout {label}: median {median:.1f} ms, worst {worst:.1f} ms")
        waited = checkouts(engine, 1, during=True)
        print(
            "checkout beside a read that took the write lock (as BEGIN IMMEDIATE did for every "
            f"transaction): {waited[0]:.0f} ms, waiting for the {WRITER_READ_SECONDS:g} s read"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
