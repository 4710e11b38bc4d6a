"""The load run's world: a migrated, seeded database with buyers and plenty of stock, one
served instance (`python -m shopora.cli serve`, the same process `make run` starts), and the
integrity check that the run left every paid order and every stock unit accounted for."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from shopora.config import ROOT, get_settings
from shopora.db import build_engine, migrate
from shopora.models import InventoryMovement, Order, OrderItem, Product, Role, User
from shopora.seed import seed_database
from shopora.services import inventory, users
from shopora.services.actors import Actor

RESTOCK = 5_000
BUYER_PASSWORD = "load-test-1"


@dataclass(frozen=True)
class World:
    url: str
    buyer_ids: list[int]
    operator_id: int
    product_ids: list[int]
    stock_before: dict[int, int]


def prepare(url: str, buyers: int) -> World:
    """Schema, the seeded shop without history, `buyers` customers and a deep restock."""
    migrate(url)
    users.BCRYPT_ROUNDS = 4  # they never sign in with it: the run issues their tokens
    engine = build_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=False)
        buyer_ids = [_buyer(session, n) for n in range(buyers)]
        operator = session.exec(select(User).where(User.role == Role.OPERATOR)).first()
        assert operator is not None and operator.id is not None
        products = list(session.exec(select(Product).where(col(Product.active))).all())
        for product in products:
            inventory.adjust_stock(
                session=session,
                product_id=product.id or 0,
                delta=RESTOCK,
                actor=Actor.system(),
                note="load run",
            )
        stock = {p.id or 0: p.stock_on_hand for p in session.exec(select(Product)).all()}
    engine.dispose()
    return World(url, buyer_ids, operator.id, [p.id or 0 for p in products], stock)


def _buyer(session: Session, n: int) -> int:
    user = users.register(
        session=session,
        username=f"loadbuyer{n:03d}",
        email=f"loadbuyer{n:03d}@load.test",
        name=f"Load Buyer {n:03d}",
        password=BUYER_PASSWORD,
    )
    return user.id or 0


def server_env(url: str, port: int, state: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "APP_BASE_URL": f"http://127.0.0.1:{port}",
        "STRIPE_EMULATOR_STATE": str(state),
        "COOKIE_KEY": os.environ.get("COOKIE_KEY") or secrets.token_urlsafe(48),
        "RECONCILE_INTERVAL_SECONDS": "3600",
        "SHOPORA_ENV": "development",
    }


@contextmanager
def served(env: dict[str, str], port: int) -> Iterator[None]:
    """The whole app on `port`, stopped (and waited for) when the block ends; the server's
    errors, if it logged any, are printed (its log lives in a temporary folder)."""
    path = Path(env["STRIPE_EMULATOR_STATE"]).with_name("server.log")
    log = open(path, "w")  # noqa: SIM115
    command = [sys.executable, "-m", "shopora.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, server)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        _print_errors(path.read_text(errors="replace"))


def _print_errors(log: str) -> None:
    lines = log.splitlines()
    starts = [i for i, line in enumerate(lines) if " ERROR " in line or " WARNING " in line]
    for i in starts[:5]:
        print("server:", "\n  ".join(lines[i : i + 25]))


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer within 60 s")


def tokens(env: dict[str, str], user_ids: list[int]) -> dict[int, str]:
    """Bearer tokens signed with the server's key (sign-in is rate limited per address)."""
    from shopora.api.security import issue_token

    saved = os.environ.get("COOKIE_KEY")
    os.environ["COOKIE_KEY"] = env["COOKIE_KEY"]
    get_settings.cache_clear()
    try:
        settings = get_settings()
        return {uid: issue_token(settings, uid).access_token for uid in user_ids}
    finally:
        if saved is None:
            os.environ.pop("COOKIE_KEY", None)
        else:
            os.environ["COOKIE_KEY"] = saved
        get_settings.cache_clear()


def integrity(world: World, paid: dict[int, dict[int, int]]) -> list[str]:
    """Problems found: paid orders ≠ successful purchases, or stock that moved by anything
    but the paid quantities (`paid`: order id → {product id: quantity})."""
    engine = build_engine(world.url)
    problems: list[str] = []
    with Session(engine) as session:
        buyers = col(Order.user_id).in_(world.buyer_ids)
        stored = set(
            session.exec(select(Order.id).where(buyers, Order.payment_status == "paid")).all()
        )
        if stored != set(paid):
            problems.append(f"paid orders {len(stored)} ≠ successful purchases {len(paid)}")
        sold = dict(
            session.exec(
                select(OrderItem.product_id, func.sum(OrderItem.quantity))
                .where(col(OrderItem.order_id).in_(stored or {0}))
                .group_by(col(OrderItem.product_id))
            ).all()
        )
        expected: dict[int, int] = {}
        for lines in paid.values():
            for product_id, quantity in lines.items():
                expected[product_id] = expected.get(product_id, 0) + quantity
        problems += _stock_problems(session, world, expected, sold)
    engine.dispose()
    return problems


def _stock_problems(
    session: Session, world: World, expected: dict[int, int], sold: dict[int, int]
) -> list[str]:
    problems = []
    ledger = dict(
        session.exec(
            select(InventoryMovement.product_id, func.sum(InventoryMovement.delta)).group_by(
                col(InventoryMovement.product_id)
            )
        ).all()
    )
    for product in session.exec(select(Product)).all():
        pid = product.id or 0
        moved = world.stock_before[pid] - product.stock_on_hand
        if moved != expected.get(pid, 0) or moved != int(sold.get(pid, 0)):
            problems.append(f"{product.sku}: stock moved {moved}, paid {expected.get(pid, 0)}")
        if ledger.get(pid, 0) != product.stock_on_hand:
            problems.append(f"{product.sku}: ledger {ledger.get(pid)} ≠ {product.stock_on_hand}")
    return problems


def postgres_database(
    admin_url: str, prefix: str = "shopora_load"
) -> tuple[str, Callable[[], None]]:
    """A fresh PostgreSQL database beside `admin_url`'s, and how to drop it."""
    admin = build_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop
