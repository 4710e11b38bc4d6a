"""Two replicas agree: two app server processes on one PostgreSQL database, both talking to
one Stripe emulator run on its own. Everything the test does goes over HTTP; only the final
check reads the database.

The last units bought through both at once, one session confirmed through both at once, and
its webhook delivered to both at once leave exactly one paid transition, one sale movement
and one redemption of the order's discount code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from shopora.db import build_engine
from shopora.models import (
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    InventoryMovement,
    MovementReason,
    Order,
    OrderEvent,
    OrderStatus,
)
from tests.api.factories_api import PASSWORD, seed_catalog
from tests.api.live_server import pay_on_hosted_page
from tests.conftest import _truncate_all
from tests.factories import make_user
from tests.processes import API_KEY, Process, signed_delivery, start_app, start_emulator

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(300)]

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Way",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Engine]:
    engine = build_engine(postgres_url)
    _truncate_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def replicas(pg: Engine, postgres_url: str, tmp_path: Path) -> Iterator[tuple[Process, ...]]:
    emulator = start_emulator(tmp_path)
    started: list[Process] = [emulator]
    try:
        for name in ("replica-a", "replica-b"):
            started.append(start_app(name, postgres_url, emulator, tmp_path))
        yield tuple(started)
    finally:
        for process in reversed(started):
            process.stop()


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def sign_in(api: str, username: str) -> dict[str, str]:
    response = httpx.post(f"{api}/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def completed_event(emulator: Process, session_id: str) -> dict[str, Any]:
    events = httpx.get(
        f"{emulator.url}/v1/events",
        params={"type": "checkout.session.completed"},
        auth=(API_KEY, ""),
    ).json()["data"]
    return next(e for e in events if e["data"]["object"]["id"] == session_id)


def test_two_replicas_on_one_database_sell_the_last_units_and_fulfil_once(
    pg: Engine, replicas: tuple[Process, Process, Process]
) -> None:
    # given a product with its last 2 units, a one-use code, and two customers
    with Session(pg, expire_on_commit=False) as db:
        speaker = seed_catalog(db)["speaker"]
        speaker_id = speaker.id
        db.add(InventoryMovement(product_id=speaker_id or 0, delta=-6, reason="adjustment"))
        speaker.stock_on_hand = 2
        db.add(speaker)
        db.add(DiscountCode(code="ONCE10", kind=DiscountKind.PERCENT, value=10, max_redemptions=1))
        db.commit()
        make_user(db, username="ada")
        make_user(db, username="bob")
    emulator, a, b = replicas
    api_a, api_b = f"{a.url}/api", f"{b.url}/api"
    ada, bob = sign_in(api_a, "ada"), sign_in(api_b, "bob")
    for api, who in ((api_a, ada), (api_b, bob)):
        line = {"product_id": speaker_id, "quantity": 2}
        assert httpx.post(f"{api}/cart/items", json=line, headers=who).status_code == 200

    # when both place an order for the last units at once, one through each replica
    body = {"shipping": ADDRESS, "discount_code": "ONCE10"}
    placed = at_once(
        lambda: httpx.post(f"{api_a}/orders", json=body, headers=ada, timeout=60),
        lambda: httpx.post(f"{api_b}/orders", json=body, headers=bob, timeout=60),
    )

    # then exactly one order holds them (and the code's one use): the other was refused as
    # out of stock (409) or, if it read the code after the winner held it, as used up (422)
    statuses = sorted(r.status_code for r in placed)
    assert statuses in ([201, 409], [201, 422]), [r.text for r in placed]
    winner = next(r for r in placed if r.status_code == 201)
    buyer = ada if winner is placed[0] else bob
    order_id = winner.json()["id"]
    assert winner.json()["discount_code"] == "ONCE10"

    # when the buyer pays, then confirms through both replicas at once
    started = httpx.post(
        f"{api_a}/payment/stripe-checkout", json={"order_id": order_id}, headers=buyer, timeout=60
    )
    assert started.status_code == 200, started.text
    session_id = started.json()["session_id"]
    assert started.json()["url"].startswith(emulator.url)
    assert pay_on_hosted_page(started.json()["url"]).status_code in (200, 303)
    confirm = {"session_id": session_id}
    confirmed = at_once(
        *(
            lambda api=api: httpx.post(
                f"{api}/payment/stripe-confirm", json=confirm, headers=buyer, timeout=60
            )
            for api in (api_a, api_b)
        )
    )
    assert [r.status_code for r in confirmed] == [200, 200], [r.text for r in confirmed]

    # and Stripe's webhook for it reaches both replicas at once
    body_bytes, signature = signed_delivery(completed_event(emulator, session_id))
    headers = {"Stripe-Signature": signature, "Content-Type": "application/json"}
    delivered = at_once(
        *(
            lambda api=api: httpx.post(
                f"{api}/webhooks/stripe", content=body_bytes, headers=headers, timeout=60
            )
            for api in (api_a, api_b)
        )
    )
    assert all(r.status_code == 200 for r in delivered), [r.text for r in delivered]

    # then there was one paid transition, one sale, one redemption
    with Session(pg) as db:
        order = db.get(Order, order_id)
        assert order is not None and order.status == OrderStatus.PAID
        paid = select(OrderEvent).where(
            OrderEvent.order_id == order_id, col(OrderEvent.to_status) == OrderStatus.PAID
        )
        assert len(db.exec(paid).all()) == 1
        sales = select(InventoryMovement).where(
            InventoryMovement.product_id == speaker_id,
            col(InventoryMovement.reason) == MovementReason.SALE,
        )
        assert [m.delta for m in db.exec(sales).all()] == [-2]
        redemptions = db.exec(select(DiscountRedemption)).all()
        assert [r.order_id for r in redemptions] == [order_id]
        code = db.exec(select(DiscountCode).where(DiscountCode.code == "ONCE10")).one()
        assert code.redemption_count == 1
    # and neither replica answered anything with a 5xx
    for server in (a, b):
        assert "Traceback" not in server.output(), server.output()[-2000:]
        assert f"Listening on 127.0.0.1:{server.url.rsplit(':', 1)[1]}" in server.output()
    # and the real server stack answers odd paths under /api with the JSON error shape
    for path in ("/api/products/%ff%fe", "/api/%c0%af..%2f..%2fetc", "/api/a%00", "/api//x"):
        response = httpx.get(f"{a.url}{path}")
        assert 400 <= response.status_code < 500, path
        assert response.headers["content-type"] == "application/json", (path, response.text)
        assert set(response.json()["error"]) == {"code", "message", "field"}, path
