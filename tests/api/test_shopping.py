"""A customer's side of the API: browsing, the cart, quotes and placing orders."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.models import DiscountCode, DiscountKind, Product
from tests.api.factories_api import bearer, seed_catalog
from tests.factories import make_user

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Way",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}


@pytest.fixture
def catalog(db: Session) -> dict[str, Product]:
    products: dict[str, Product] = seed_catalog(db)
    return products


@pytest.fixture
def ada(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, username="ada", email="ada@example.test")
    return bearer(client, "ada")


def order_body(**overrides: Any) -> dict[str, Any]:
    return {"shipping": ADDRESS, "shipping_method": "standard", **overrides}


def test_products_can_be_filtered_sorted_and_paged(
    client: TestClient, catalog: dict[str, Product]
) -> None:
    response = client.get(
        "/products", params={"category": "audio", "sort": "price_asc", "per_page": 1}
    )

    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["pages"], page["per_page"]) == (2, 2, 1)
    assert [item["name"] for item in page["items"]] == ["Pebble Speaker"]
    assert page["items"][0]["price_display"] == "$49.00"


def test_in_stock_filter_hides_sold_out_products(
    client: TestClient, catalog: dict[str, Product]
) -> None:
    names = {item["name"] for item in client.get("/products?in_stock=true").json()["items"]}

    assert names == {"Aurora Headphones", "Pebble Speaker"}


def test_categories_count_their_products(client: TestClient, catalog: dict[str, Product]) -> None:
    categories = client.get("/categories").json()

    assert [(c["slug"], c["product_count"]) for c in categories] == [("audio", 2), ("home", 1)]


def test_a_minimum_price_above_the_maximum_is_a_422_naming_the_field(
    client: TestClient, catalog: dict[str, Product]
) -> None:
    response = client.get("/products", params={"min_price_cents": 500, "max_price_cents": 100})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "min_price_cents"


def test_registering_then_signing_in_with_json_gives_a_working_token(client: TestClient) -> None:
    body = {
        "username": "grace",
        "email": "grace@example.test",
        "name": "Grace",
        "password": "cobol1959",
    }

    registered = client.post("/auth/register", json=body)
    token = client.post("/auth/token", json={"username": "grace", "password": "cobol1959"})
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})

    assert registered.status_code == 201
    assert registered.json()["role"] == "customer"
    assert token.json()["token_type"] == "bearer"
    assert token.json()["expires_in"] == 3600
    assert me.json()["username"] == "grace"


def test_registering_a_taken_username_is_a_409(client: TestClient, db: Session) -> None:
    make_user(db, username="grace")
    body = {"username": "Grace", "email": "g2@example.test", "name": "G", "password": "cobol1959"}

    response = client.post("/auth/register", json=body)

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "already_exists",
        "message": "That username is already registered.",
        "field": "username",
    }


def test_adding_changing_and_removing_cart_lines(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    headphones, speaker = catalog["headphones"].id, catalog["speaker"].id

    client.post("/cart/items", json={"product_id": headphones, "quantity": 2}, headers=ada)
    client.post("/cart/items", json={"product_id": speaker}, headers=ada)
    client.patch(f"/cart/items/{speaker}", json={"quantity": 3}, headers=ada)
    cart = client.delete(f"/cart/items/{headphones}", headers=ada).json()

    assert [(line["product_id"], line["quantity"]) for line in cart["lines"]] == [(speaker, 3)]
    assert (cart["subtotal_cents"], cart["subtotal_display"], cart["item_count"]) == (
        14700,
        "$147.00",
        3,
    )
    assert client.delete("/cart", headers=ada).json()["lines"] == []


def test_adding_more_than_available_stock_is_a_409_out_of_stock(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    body = {"product_id": catalog["speaker"].id, "quantity": 9}

    response = client.post("/cart/items", json=body, headers=ada)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "out_of_stock"
    assert client.get("/cart", headers=ada).json()["lines"] == []


def test_a_customer_never_sees_another_customers_cart(
    client: TestClient, db: Session, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    make_user(db, username="bob")
    bob = bearer(client, "bob")
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)

    client.delete("/cart", headers=bob)

    assert client.get("/cart", headers=bob).json()["lines"] == []
    assert len(client.get("/cart", headers=ada).json()["lines"]) == 1


def test_validating_a_code_quotes_the_cart_with_its_discount(
    client: TestClient, db: Session, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    db.add(DiscountCode(code="TEN", kind=DiscountKind.PERCENT, value=10))
    db.commit()
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)

    quote = client.post("/discounts/validate", json={"code": "ten"}, headers=ada).json()

    assert quote["valid"] is True
    assert quote["code"] == "TEN"
    assert (quote["subtotal_cents"], quote["discount_cents"], quote["shipping_cents"]) == (
        4900,
        490,
        599,
    )
    assert quote["total_cents"] == 4900 - 490 + 599


def test_an_unknown_code_is_reported_with_its_reason_not_as_an_error(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)

    response = client.post("/discounts/validate", json={"code": "NOPE"}, headers=ada)

    assert response.status_code == 200
    assert (response.json()["valid"], response.json()["reason"]) == (False, "unknown")
    assert response.json()["discount_cents"] == 0


def test_placing_an_order_holds_stock_and_returns_201(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    client.post(
        "/cart/items", json={"product_id": catalog["speaker"].id, "quantity": 2}, headers=ada
    )

    response = client.post("/orders", json=order_body(), headers=ada)

    assert response.status_code == 201
    order = response.json()
    assert (order["status"], order["payment_status"]) == ("pending", "unpaid")
    assert order["total_cents"] == 9800  # over the free-shipping threshold
    assert [item["quantity"] for item in order["items"]] == [2]
    assert [event["kind"] for event in order["events"]] == ["placed"]
    assert client.get(f"/products/{catalog['speaker'].id}").json()["available"] == 6


def test_retrying_with_the_same_idempotency_key_returns_the_same_order_with_200(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)
    key = {"Idempotency-Key": str(uuid.uuid4()), **ada}

    first = client.post("/orders", json=order_body(), headers=key)
    second = client.post("/orders", json=order_body(), headers=key)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert len(client.get("/orders", headers=ada).json()) == 1


def test_placing_an_empty_cart_is_a_409(client: TestClient, ada: dict[str, str]) -> None:
    response = client.post("/orders", json=order_body(), headers=ada)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "empty_cart"


def test_an_address_the_service_refuses_is_a_422_naming_the_field(
    client: TestClient, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)

    response = client.post(
        "/orders", json=order_body(shipping={**ADDRESS, "country": "ZZ"}), headers=ada
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "country"


def test_another_customers_order_is_a_404(
    client: TestClient, db: Session, catalog: dict[str, Product], ada: dict[str, str]
) -> None:
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)
    order_id = client.post("/orders", json=order_body(), headers=ada).json()["id"]
    make_user(db, username="bob")
    bob = bearer(client, "bob")

    assert client.get(f"/orders/{order_id}", headers=bob).status_code == 404
    assert client.post(f"/orders/{order_id}/cancel", headers=bob).status_code == 404
    assert client.get("/orders", headers=bob).json() == []
    assert client.get(f"/orders/{order_id}", headers=ada).json()["status"] == "pending"
