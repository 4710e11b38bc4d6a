"""A whole purchase through the API against the Stripe emulator, then the operator's side:
register, cart, pending order, hosted Checkout, confirm, and the console moving it on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from shopora.models import Product, Role
from tests.api.factories_api import PASSWORD, seed_catalog
from tests.api.live_server import LiveServer, pay_on_hosted_page, start_live_server
from tests.factories import make_user

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Way",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


@pytest.fixture
def live(engine: Engine, tmp_path: Path) -> Iterator[LiveServer]:
    server = start_live_server(engine, tmp_path / "stripe-emulator.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def shop(db: Session) -> dict[str, Product]:
    make_user(db, username="olivia", role=Role.OPERATOR)
    make_user(db, username="bob")
    products: dict[str, Product] = seed_catalog(db)
    return products


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.api, timeout=30) as client:
        yield client


def sign_in(http: httpx.Client, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = http.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def pending_order(http: httpx.Client, customer: dict[str, str], product: Product) -> Any:
    http.post("/cart/items", json={"product_id": product.id, "quantity": 2}, headers=customer)
    order = http.post("/orders", json={"shipping": ADDRESS}, headers=customer)
    assert order.status_code == 201, order.text
    return order.json()


def checkout(http: httpx.Client, customer: dict[str, str], order_id: int) -> Any:
    started = http.post("/payment/stripe-checkout", json={"order_id": order_id}, headers=customer)
    assert started.status_code == 200, started.text
    return started.json()


def test_a_customer_buys_through_the_api_and_the_operator_sees_the_paid_order(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    registration = {
        "username": "ada",
        "email": "ada@example.test",
        "name": "Ada Lovelace",
        "password": "analytical1843",
    }
    assert http.post("/auth/register", json=registration).status_code == 201
    ada = sign_in(http, "ada", "analytical1843")
    order = pending_order(http, ada, shop["speaker"])
    session = checkout(http, ada, order["id"])

    paid = pay_on_hosted_page(session["url"])
    confirmed = http.post(
        "/payment/stripe-confirm", json={"session_id": session["session_id"]}, headers=ada
    )

    assert paid.status_code == 303
    assert session["session_id"] in paid.headers["location"]
    assert confirmed.status_code == 200, confirmed.text
    receipt = confirmed.json()
    assert (receipt["status"], receipt["payment_status"]) == ("paid", "paid")
    assert receipt["amount_paid_cents"] == receipt["total_cents"] == 9800
    assert receipt["stripe_session_id"] == session["session_id"]
    assert receipt["payment_intent_id"].startswith("pi_")
    assert receipt["verified_via"] in ("api", "webhook")  # whichever got there first
    assert http.get("/cart", headers=ada).json()["lines"] == []
    assert http.get(f"/products/{shop['speaker'].id}").json()["available"] == 6
    olivia = sign_in(http, "olivia")
    console = http.get("/admin/orders", params={"status": "paid"}, headers=olivia).json()
    assert [row["number"] for row in console["items"]] == [order["number"]]
    detail = http.get(f"/admin/orders/{order['id']}", headers=olivia).json()
    assert "start_processing" in detail["allowed_actions"]
    (attempt,) = detail["payment_attempts"]
    assert (attempt["attempt"], attempt["outcome"], attempt["amount_cents"]) == (1, "paid", 9800)
    assert attempt["stripe_session_id"] == session["session_id"]
    assert attempt["payment_intent_id"] == receipt["payment_intent_id"]


def test_confirming_twice_changes_nothing_the_second_time(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob = sign_in(http, "bob")
    order = pending_order(http, bob, shop["headphones"])
    session = checkout(http, bob, order["id"])
    pay_on_hosted_page(session["url"])
    body = {"session_id": session["session_id"]}

    first = http.post("/payment/stripe-confirm", json=body, headers=bob).json()
    second = http.post("/payment/stripe-confirm", json=body, headers=bob).json()

    assert second["status"] == "paid"
    assert second["paid_at"] == first["paid_at"]
    assert [e["kind"] for e in second["events"]].count("paid") == 1
    assert http.get(f"/products/{shop['headphones'].id}").json()["available"] == 23


def test_confirming_an_unpaid_session_is_a_409_and_the_order_stays_pending(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob = sign_in(http, "bob")
    order = pending_order(http, bob, shop["speaker"])
    session = checkout(http, bob, order["id"])

    response = http.post(
        "/payment/stripe-confirm", json={"session_id": session["session_id"]}, headers=bob
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "payment_not_completed"
    assert http.get(f"/orders/{order['id']}", headers=bob).json()["status"] == "pending"


def test_another_customer_cannot_confirm_or_open_someone_elses_checkout(
    http: httpx.Client, db: Session, shop: dict[str, Product]
) -> None:
    bob = sign_in(http, "bob")
    make_user(db, username="eve")
    eve = sign_in(http, "eve")
    order = pending_order(http, bob, shop["speaker"])
    session = checkout(http, bob, order["id"])
    pay_on_hosted_page(session["url"])

    opened = http.post("/payment/stripe-checkout", json={"order_id": order["id"]}, headers=eve)
    confirmed = http.post(
        "/payment/stripe-confirm", json={"session_id": session["session_id"]}, headers=eve
    )

    assert opened.status_code == 404
    assert confirmed.status_code == 404
    assert http.get(f"/orders/{order['id']}", headers=bob).json()["payment_status"] in (
        "unpaid",
        "paid",  # the webhook may have settled it meanwhile; never via eve
    )


def test_opening_checkout_twice_returns_the_same_open_session(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob = sign_in(http, "bob")
    order = pending_order(http, bob, shop["speaker"])

    first = checkout(http, bob, order["id"])
    second = checkout(http, bob, order["id"])

    assert first["session_id"] == second["session_id"]
    assert first["url"] == second["url"]


def test_a_customer_cancels_an_unpaid_order_and_its_stock_is_released(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob = sign_in(http, "bob")
    order = pending_order(http, bob, shop["speaker"])
    session = checkout(http, bob, order["id"])

    cancelled = http.post(
        f"/orders/{order['id']}/cancel", json={"reason": "Changed my mind"}, headers=bob
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert http.get(f"/products/{shop['speaker'].id}").json()["available"] == 8
    assert pay_on_hosted_page(session["url"]).status_code != 303  # the session was expired


def test_the_operator_ships_delivers_and_refunds_a_paid_order(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob, olivia = sign_in(http, "bob"), sign_in(http, "olivia")
    order = pending_order(http, bob, shop["speaker"])
    session = checkout(http, bob, order["id"])
    pay_on_hosted_page(session["url"])
    http.post("/payment/stripe-confirm", json={"session_id": session["session_id"]}, headers=bob)
    base = f"/admin/orders/{order['id']}"

    http.post(f"{base}/process", headers=olivia)
    shipped = http.post(
        f"{base}/ship", json={"carrier": "UPS", "tracking_number": "1Z999AA10123"}, headers=olivia
    )
    delivered = http.post(f"{base}/deliver", headers=olivia)
    refunded = http.post(
        f"{base}/refund", json={"amount_cents": 1000, "note": "Scratched"}, headers=olivia
    )

    assert shipped.json()["tracking_number"] == "1Z999AA10123"
    assert delivered.json()["status"] == "delivered"
    assert refunded.status_code == 200, refunded.text
    assert (refunded.json()["payment_status"], refunded.json()["refunded_cents"]) == (
        "partially_refunded",
        1000,
    )
    mine = http.get(f"/orders/{order['id']}", headers=bob).json()
    assert mine["tracking_number"] == "1Z999AA10123"
    assert [e["kind"] for e in mine["events"]][-3:] == ["shipped", "delivered", "refunded"]


def test_the_operator_cancels_a_paid_order_only_with_a_full_refund(
    http: httpx.Client, shop: dict[str, Product]
) -> None:
    bob, olivia = sign_in(http, "bob"), sign_in(http, "olivia")
    order = pending_order(http, bob, shop["speaker"])
    session = checkout(http, bob, order["id"])
    pay_on_hosted_page(session["url"])
    http.post("/payment/stripe-confirm", json={"session_id": session["session_id"]}, headers=bob)
    cancel = f"/admin/orders/{order['id']}/cancel"

    refused = http.post(cancel, json={"reason": "Out of ink"}, headers=olivia)
    cancelled = http.post(cancel, json={"reason": "Out of ink", "refund": True}, headers=olivia)

    assert refused.status_code == 409
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == (
        "cancelled",
        "refunded",
    )
    assert http.get(f"/products/{shop['speaker'].id}").json()["available"] == 8
