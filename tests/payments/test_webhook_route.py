"""POST /api/webhooks/stripe over real HTTP: only what Stripe signed gets in, once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.routing import Mount

from shopora.api.deps import get_payment_gateway, get_session
from shopora.api.routes import webhooks as webhook_routes
from shopora.models import (
    EventKind,
    OrderEvent,
    OrderStatus,
    ProcessedStripeEvent,
    WebhookDisposition,
)
from shopora.payments.gateway import StripeGateway, build_gateway
from tests.loopback import ServerThread

from .conftest import Shop
from .harness import (
    API_KEY,
    FakeClock,
    event_for,
    pay,
    signature,
    signed,
    start_emulator,
    wait_until,
)


def serve_webhooks(shop: Shop, gateway: Any) -> ServerThread:
    """A tiny FastAPI app with the webhook router, mounted under /api like the real one."""
    api = FastAPI()
    api.include_router(webhook_routes.router)

    def session() -> Iterator[Session]:
        with shop.session() as db:
            yield db

    api.dependency_overrides[get_session] = session
    api.dependency_overrides[get_payment_gateway] = gateway
    return ServerThread(lambda _url: Starlette(routes=[Mount("/api", app=api)])).start()


@pytest.fixture
def hook(shop: Shop) -> Iterator[str]:
    server = serve_webhooks(shop, lambda: shop.gateway)
    yield f"{server.url}/api/webhooks/stripe"
    server.stop()


def paid_at_stripe(shop: Shop) -> tuple[int, dict[str, Any]]:
    """An order paid on Stripe's page, and Stripe's checkout.session.completed event."""
    user = shop.customer()
    shop.set_cart(user, shop.product(), 2)
    order = shop.place(user)
    pay(shop.start(order).url)
    (event,) = shop.stripe.events("checkout.session.completed")
    return order.id or 0, event


def processed(shop: Shop) -> int:
    with shop.session() as session:
        return int(session.exec(select(func.count()).select_from(ProcessedStripeEvent)).one())


def post(url: str, body: bytes, header: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return httpx.post(url, content=body, headers=headers)


def _bad_requests(event: dict[str, Any]) -> dict[str, tuple[bytes, str | None]]:
    body, good = signed(event)
    now = int(time.time())
    malformed = b'{"id": "evt_1", "type": '
    return {
        "missing": (body, None),
        "wrong secret": signed(event, secret="whsec_someone_else"),
        # Ten minutes off (the exact 300 s edge is checked in test_gateway with a fixed now).
        "stale": signed(event, timestamp=now - 600),
        "future": signed(event, timestamp=now + 600),
        # Same event, other bytes (as a framework that parses and re-dumps would send it).
        "re-serialised body": (json.dumps(event, indent=2).encode(), good),
        "malformed json": (malformed, signature(malformed)),
    }


@pytest.mark.parametrize(
    "case", ["missing", "wrong secret", "stale", "future", "re-serialised body", "malformed json"]
)
def test_an_untrustworthy_delivery_is_refused_and_changes_nothing(
    shop: Shop, hook: str, case: str
) -> None:
    # given an order paid at Stripe, and a delivery of its event that we cannot trust
    order_id, event = paid_at_stripe(shop)
    body, header = _bad_requests(event)[case]

    # when it is posted
    response = post(hook, body, header)

    # then it is a 400 in the API's error shape, and nothing happened
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_webhook", None)
    assert "sk_test" not in error["message"]
    assert shop.order(order_id).status == OrderStatus.PENDING
    assert processed(shop) == 0


def test_a_signed_completed_event_fulfils_and_its_replay_is_a_duplicate(
    shop: Shop, hook: str
) -> None:
    # given an order paid at Stripe
    order_id, event = paid_at_stripe(shop)
    body, header = signed(event)

    # when Stripe delivers the event, and then delivers it again
    first = post(hook, body, header)
    second = post(hook, body, header)

    # then the first fulfils the order and the replay changes nothing
    assert first.status_code == 200
    assert first.json()["received"] is True
    assert "is paid" in first.json()["outcome"]
    assert second.status_code == 200
    assert second.json() == {"received": True, "outcome": "duplicate"}
    assert shop.order(order_id).status == OrderStatus.PAID
    assert processed(shop) == 1
    with shop.session() as session:
        paid = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == order_id, OrderEvent.kind == EventKind.PAID
            )
        ).all()
    assert len(paid) == 1 and paid[0].actor == "stripe"


def test_an_event_type_we_do_not_handle_is_acknowledged_and_logged_as_ignored(
    shop: Shop, hook: str
) -> None:
    event = event_for("customer.created", {"id": "cus_1", "object": "customer"})
    body, header = signed(event)
    response = post(hook, body, header)
    assert response.status_code == 200
    assert response.json()["outcome"].startswith("ignored: not a type Shopora acts on")
    with shop.session() as session:
        row = session.exec(
            select(ProcessedStripeEvent).where(ProcessedStripeEvent.event_id == event["id"])
        ).one()
    assert row.disposition == WebhookDisposition.IGNORED


def test_the_emulator_delivers_webhooks_that_settle_and_expire_orders(
    shop: Shop, tmp_path: Path
) -> None:
    # given Shopora's webhook route and an emulator that delivers to it
    clock = FakeClock()
    holder: dict[str, StripeGateway] = {}
    server = serve_webhooks(shop, lambda: holder["gateway"])
    stripe = start_emulator(
        tmp_path / "delivering.sqlite3", clock, webhook_url=f"{server.url}/api/webhooks/stripe"
    )
    gateway = holder["gateway"] = build_gateway(API_KEY, stripe.base_url, clock=clock)
    shop.gateway = gateway
    try:
        paying, leaving = shop.customer(), shop.customer()
        product = shop.product()
        shop.set_cart(paying, product, 1)
        shop.set_cart(leaving, product, 2)
        paid_order, left_order = shop.place(paying), shop.place(leaving)
        started = shop.start(left_order)

        # when one customer pays and closes the tab (no return page) ...
        pay(shop.start(paid_order).url)
        # then the completed webhook alone marks the order paid
        wait_until(lambda: shop.order(paid_order.id).status == OrderStatus.PAID, 10, "paid")
        assert shop.order(paid_order.id).verified_via == "webhook"

        # and when the other customer's session runs out of time
        clock.advance(31 * 60 + 61)
        # then the expired webhook cancels that order and frees its stock
        wait_until(lambda: shop.order(left_order.id).status == OrderStatus.CANCELLED, 10, "cancel")
        assert shop.product_row(product.id).reserved == 0
        assert gateway.retrieve_session(started.session_id).status == "expired"
    finally:
        stripe.stop()
        server.stop()
