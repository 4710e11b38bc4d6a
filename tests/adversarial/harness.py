"""A shop served over HTTP for an attacker to poke at: its own database (SQLite or
PostgreSQL), the API and the Stripe emulator on a loopback port, and a customer, another
customer, an analyst and an operator with tokens. Tests talk to it over HTTP only; they read
the database only to check that refused requests changed nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from shopora.api.security import RateLimiter
from shopora.config import EMULATOR_API_KEY, EMULATOR_WEBHOOK_SECRET
from shopora.models import DiscountCode, DiscountKind, Role
from tests.adversarial.cases import Operation
from tests.api.factories_api import PASSWORD, seed_catalog
from tests.api.live_server import LiveServer, pay_on_hosted_page, start_live_server
from tests.factories import make_user

ROLES = ("anonymous", "customer", "other_customer", "analyst", "operator")
USERNAMES = {"customer": "ada", "other_customer": "bob", "analyst": "avery", "operator": "olivia"}
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Way",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}
# Tables whose rows a refused request may still touch (a failed sign-in is counted).
VOLATILE = {"users"}


@dataclass
class Shop:
    live: LiveServer
    engine: Engine
    http: httpx.Client
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def call(
        self, method: str, path: str, *, role: str = "anonymous", **kwargs: Any
    ) -> httpx.Response:
        headers = {**self.tokens.get(role, {}), **kwargs.pop("headers", {})}
        response = self.http.request(method, path, headers=headers, **kwargs)
        assert_sane(response, f"{role} {method} {path}")
        return response

    def fingerprint(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table but the volatile ones: equal fingerprints, same state."""
        rows: dict[str, list[tuple[Any, ...]]] = {}
        with self.engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in VOLATILE:
                    continue
                result = conn.execute(table.select().order_by(*table.primary_key.columns))
                rows[table.name] = [tuple(map(repr, row)) for row in result]
        return rows

    def deliver(
        self,
        event: dict[str, Any] | bytes,
        *,
        secret: str = EMULATOR_WEBHOOK_SECRET,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        if signature is None:
            signature = sign(body, secret, int(time.time()) if timestamp is None else timestamp)
        headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
        return self.call("POST", "/webhooks/stripe", content=body, headers=headers)


def sign(body: bytes, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def assert_sane(response: httpx.Response, what: str) -> None:
    """Never a 5xx; every error in the documented shape."""
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert response.headers.get("content-type", "").startswith("application/json"), what
        error = response.json().get("error")
        assert isinstance(error, dict) and set(error) == {"code", "message", "field"}, (
            f"{what}: {response.text[:300]}"
        )


def open_shop(engine: Engine, workdir: Path) -> Iterator[Shop]:
    """Seed, serve and sign everybody in; stop the server afterwards."""
    if engine.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    ids = _seed(engine)
    live = start_live_server(engine, workdir / "stripe-emulator.sqlite3")
    api = live.served.app.routes[0].app
    # The suite sends hundreds of sign-in and sign-up bodies from one address; the per-client
    # limit (tested on its own elsewhere) would turn them into 429s before validation.
    api.state.sign_in_limiter = RateLimiter(100_000, 60)
    api.state.registration_limiter = RateLimiter(100_000, 60)
    with httpx.Client(base_url=live.api, timeout=60) as client:
        shop = Shop(live, engine, client, ids=ids)
        for role, username in USERNAMES.items():
            shop.tokens[role] = _sign_in(shop, username)
        shop.ids["pending_order"] = _pending_order(shop, "customer", ids["speaker"], 1)
        try:
            yield shop
        finally:
            live.stop()


def _seed(engine: Engine) -> dict[str, int]:
    with Session(engine, expire_on_commit=False) as db:
        catalog = seed_catalog(db)
        make_user(db, username="ada", email="ada@example.test")
        make_user(db, username="bob", email="bob@example.test")
        make_user(db, username="avery", role=Role.ANALYST)
        make_user(db, username="olivia", role=Role.OPERATOR)
        code = DiscountCode(code="WELCOME10", kind=DiscountKind.PERCENT, value=10)
        db.add(code)
        db.commit()
        return {
            "headphones": catalog["headphones"].id,
            "speaker": catalog["speaker"].id,
            "lamp": catalog["lamp"].id,
            "discount": code.id or 0,
        }


def _sign_in(shop: Shop, username: str) -> dict[str, str]:
    response = shop.http.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _pending_order(shop: Shop, role: str, product_id: int, quantity: int) -> int:
    line = {"product_id": product_id, "quantity": quantity}
    assert shop.call("POST", "/cart/items", role=role, json=line).status_code == 200
    order = shop.call("POST", "/orders", role=role, json={"shipping": ADDRESS})
    assert order.status_code == 201, order.text
    order_id: int = order.json()["id"]
    return order_id


def concrete_path(shop: Shop, operation: Operation, override: str | None = None) -> str:
    ids = {
        "product_id": shop.ids["speaker"],
        "order_id": shop.ids["pending_order"],
        "discount_id": shop.ids["discount"],
    }
    path = operation.path
    for name, value in ids.items():
        path = path.replace(f"{{{name}}}", override if override is not None else str(value))
    return path


def realistic(shop: Shop) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The schema's example with ids that exist in this shop."""
    ids = {"product_id": shop.ids["speaker"], "order_id": shop.ids["pending_order"]}
    return lambda body: {k: ids.get(k, v) for k, v in body.items()}


def new_customers(shop: Shop, count: int, prefix: str) -> list[str]:
    """`count` more signed-in customers; returns their roles (usable as `role=`)."""
    roles = []
    with Session(shop.engine, expire_on_commit=False) as db:
        for n in range(count):
            make_user(db, username=f"{prefix}{n}", email=f"{prefix}{n}@example.test")
    for n in range(count):
        role = f"{prefix}{n}"
        shop.tokens[role] = _sign_in(shop, role)
        roles.append(role)
    return roles


def paid_order(shop: Shop, role: str, product_id: int, quantity: int = 1) -> dict[str, Any]:
    """A pending order paid on the emulator's hosted page and confirmed: the order and the
    `checkout.session.completed` event the emulator made for it."""
    order_id = _pending_order(shop, role, product_id, quantity)
    started = shop.call("POST", "/payment/stripe-checkout", role=role, json={"order_id": order_id})
    assert started.status_code == 200, started.text
    session_id = started.json()["session_id"]
    assert pay_on_hosted_page(started.json()["url"]).status_code in (200, 303)
    confirm = {"session_id": session_id}
    confirmed = shop.call("POST", "/payment/stripe-confirm", role=role, json=confirm)
    assert confirmed.status_code == 200, confirmed.text
    return {"order_id": order_id, "session_id": session_id, "event": event_for(shop, session_id)}


def open_session(shop: Shop, role: str, product_id: int) -> dict[str, Any]:
    """A pending order with an open Checkout Session nobody has paid."""
    order_id = _pending_order(shop, role, product_id, 1)
    started = shop.call("POST", "/payment/stripe-checkout", role=role, json={"order_id": order_id})
    assert started.status_code == 200, started.text
    return {"order_id": order_id, "session_id": started.json()["session_id"]}


def event_for(
    shop: Shop, session_id: str, kind: str = "checkout.session.completed"
) -> dict[str, Any]:
    events = httpx.get(
        f"{shop.live.served.url}/stripe-emulator/v1/events",
        params={"type": kind, "limit": 100},
        auth=(EMULATOR_API_KEY, ""),
    ).json()["data"]
    event: dict[str, Any] = next(e for e in events if e["data"]["object"]["id"] == session_id)
    return event


def order_state(shop: Shop, order_id: int) -> dict[str, Any]:
    """What the operator's console says about an order (over HTTP)."""
    response = shop.call("GET", f"/admin/orders/{order_id}", role="operator")
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail
