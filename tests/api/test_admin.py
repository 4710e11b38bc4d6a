"""The operator's side without Stripe: products, stock, the order console, analytics."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.models import Order, Product, Role
from shopora.services import cart
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.api.factories_api import bearer, seed_catalog
from tests.factories import make_user


@pytest.fixture
def olivia(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, username="olivia", role=Role.OPERATOR)
    return bearer(client, "olivia")


@pytest.fixture
def catalog(db: Session) -> dict[str, Product]:
    products: dict[str, Product] = seed_catalog(db)
    return products


def placed_order(db: Session, product: Product, quantity: int = 1, **user: object) -> Order:
    """A pending order by a new customer (through the services, not the API)."""
    shopper = make_user(db, **user)
    cart.add_item(
        session=db, user_id=shopper.id or 0, product_id=product.id or 0, quantity=quantity
    )
    address = ShippingAddress(str(shopper.name), "1 Way", "Arlington", "22201", "US")
    return place_order(session=db, user_id=shopper.id or 0, shipping=address)


def new_product(category_id: int, **overrides: object) -> dict[str, object]:
    return {
        "name": "Lumen Desk Lamp",
        "sku": "home-042",
        "category_id": category_id,
        "price_cents": 3900,
        **overrides,
    }


def test_an_operator_creates_a_product_that_starts_without_stock(
    client: TestClient, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    body = new_product(catalog["lamp"].category_id)

    response = client.post("/admin/products", json=body, headers=olivia)

    assert response.status_code == 201, response.text
    product = response.json()
    assert (product["sku"], product["slug"], product["stock_on_hand"]) == (
        "HOME-042",
        "lumen-desk-lamp",
        0,
    )
    assert client.get(f"/products/{product['id']}").json()["in_stock"] is False


def test_a_duplicate_sku_is_a_409_naming_the_field(
    client: TestClient, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    body = new_product(catalog["lamp"].category_id, sku=catalog["lamp"].sku)

    response = client.post("/admin/products", json=body, headers=olivia)

    assert response.status_code == 409
    assert response.json()["error"]["field"] == "sku"


def test_editing_changes_only_the_fields_sent(
    client: TestClient, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    lamp = catalog["lamp"]

    response = client.patch(
        f"/admin/products/{lamp.id}", json={"price_cents": 3000}, headers=olivia
    )

    assert response.status_code == 200, response.text
    assert (response.json()["price_cents"], response.json()["name"]) == (3000, lamp.name)
    assert response.json()["slug"] == lamp.slug


def test_archiving_hides_a_product_from_the_shop_but_not_from_the_operator(
    client: TestClient, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    lamp = catalog["lamp"]

    client.patch(f"/admin/products/{lamp.id}", json={"active": False}, headers=olivia)

    assert client.get(f"/products/{lamp.id}").status_code == 404
    rows = client.get("/admin/products", headers=olivia).json()
    assert [row["active"] for row in rows if row["product_id"] == lamp.id] == [False]


def test_a_restock_adds_units_and_an_adjustment_cannot_drop_below_held_stock(
    client: TestClient, db: Session, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    lamp = catalog["lamp"]
    url = f"/admin/products/{lamp.id}/stock"

    restocked = client.post(
        url, json={"delta": 5, "reason": "restock", "note": "Delivery"}, headers=olivia
    )
    placed_order(db, lamp, quantity=3)
    refused = client.post(
        url, json={"delta": -3, "reason": "adjustment", "note": "Broken"}, headers=olivia
    )

    assert restocked.json()["stock_on_hand"] == 5
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "out_of_stock"


def test_the_console_finds_orders_by_status_and_text(
    client: TestClient, db: Session, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    order = placed_order(db, catalog["speaker"], name="Grace Hopper")

    found = client.get("/admin/orders", params={"q": "hopper"}, headers=olivia).json()
    none_paid = client.get("/admin/orders", params={"status": "paid"}, headers=olivia).json()
    detail = client.get(f"/admin/orders/{order.id}", headers=olivia).json()

    assert [row["number"] for row in found["items"]] == [order.number]
    assert none_paid["items"] == []
    assert detail["customer"]["name"] == "Grace Hopper"
    assert sorted(detail["allowed_actions"]) == ["add_note", "cancel"]


def test_processing_an_unpaid_order_is_a_409(
    client: TestClient, db: Session, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    order = placed_order(db, catalog["speaker"])

    response = client.post(f"/admin/orders/{order.id}/process", headers=olivia)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"


def test_naive_dates_in_the_order_filter_are_a_422(
    client: TestClient, olivia: dict[str, str]
) -> None:
    response = client.get(
        "/admin/orders", params={"date_from": "2025-01-01T00:00:00"}, headers=olivia
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "date_from"


def test_the_analytics_summary_has_every_kpi_with_its_previous_period(
    client: TestClient, olivia: dict[str, str]
) -> None:
    response = client.get("/admin/analytics/summary", params={"range": "7d"}, headers=olivia)

    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["range"] == "7d"
    assert summary["kpis"]["revenue_cents"] == {"value": 0, "previous": 0, "delta_percent": 0.0}
    assert {"paid_orders", "aov_cents", "conversion", "net_revenue_cents"} <= set(summary["kpis"])


def test_an_operator_creates_a_code_that_customers_can_then_apply(
    client: TestClient, db: Session, olivia: dict[str, str], catalog: dict[str, Product]
) -> None:
    body = {"code": "spring15", "kind": "percent", "value": 15, "once_per_customer": True}

    created = client.post("/admin/discounts", json=body, headers=olivia)
    make_user(db, username="ada")
    ada = bearer(client, "ada")
    client.post("/cart/items", json={"product_id": catalog["speaker"].id}, headers=ada)
    quote = client.post("/discounts/validate", json={"code": "SPRING15"}, headers=ada).json()

    assert created.status_code == 201, created.text
    assert (created.json()["code"], created.json()["redemption_count"]) == ("SPRING15", 0)
    assert (quote["valid"], quote["discount_cents"]) == (True, 735)


def test_a_code_with_a_value_its_kind_does_not_allow_is_a_422_naming_the_field(
    client: TestClient, olivia: dict[str, str]
) -> None:
    body = {"code": "HALF", "kind": "percent", "value": 150}

    response = client.post("/admin/discounts", json=body, headers=olivia)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "value"


def test_editing_a_code_changes_only_what_is_sent_and_null_clears_its_end(
    client: TestClient, olivia: dict[str, str]
) -> None:
    body = {"code": "LATE", "kind": "fixed", "value": 500, "ends_at": "2099-01-01T00:00:00Z"}
    code_id = client.post("/admin/discounts", json=body, headers=olivia).json()["id"]

    edited = client.patch(
        f"/admin/discounts/{code_id}", json={"active": False, "ends_at": None, "value": None},
        headers=olivia,
    )  # fmt: skip
    usage = client.get("/admin/discounts", headers=olivia).json()

    assert edited.status_code == 200, edited.text
    assert (edited.json()["active"], edited.json()["ends_at"], edited.json()["value"]) == (
        False,
        None,
        500,
    )
    assert [(row["code"], row["status"]) for row in usage] == [("LATE", "inactive")]
