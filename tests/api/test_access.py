"""Who may call what: every route × anonymous, customer, another customer, operator, analyst.

One database and one token per role for the whole module. Each request is chosen so its
outcome does not depend on the order the cases run in: routes that change things either
succeed repeatably or are refused by a business rule (409, 422) that proves the caller got
past the access checks. Another customer's order is a 404, never a 403: its existence is not
revealed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.db import build_engine
from shopora.models import DiscountCode, DiscountKind, Role
from shopora.payments.checkout import cancel_order
from shopora.services import cart
from shopora.services.actors import Actor
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.api.factories_api import bearer, fresh_db, mounted, seed_catalog
from tests.factories import make_user

ROLES = ("anonymous", "customer", "other_customer", "operator", "analyst")
USERS = {"customer": "ada", "other_customer": "bob", "operator": "olivia", "analyst": "avery"}
EVERYONE = (200, 200, 200, 200, 200)
SIGNED_IN = (401, 200, 200, 200, 200)
OWNER_ONLY = (401, 200, 404, 404, 404)
STAFF = (401, 403, 403, 200, 200)


def operator_only(status: int) -> tuple[int, ...]:
    return (401, 403, 403, status, 403)


@dataclass(frozen=True)
class World:
    """What the paths name: Ada's pending and cancelled orders, a product, a code."""

    product: int
    category: int
    pending: int
    cancelled: int
    code: int


Body = Any | Callable[["World", int], Any]


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # with {product}, {pending}, {cancelled} or {code}
    expected: tuple[int, ...]  # in the order of ROLES
    body: Body = None


_unique = itertools.count(1)
SHIP = {"carrier": "UPS", "tracking_number": "1Z999AA10123"}
RESTOCK = {"delta": 1, "reason": "restock", "note": "Counted again"}
BAD_SIGN_UP = {"username": "x", "email": "x", "name": "x", "password": "x"}
NOWHERE = {"name": "A", "line1": "1", "city": "C", "postal_code": "12345", "country": "ZZ"}


def new_product(world: World, n: int) -> dict[str, Any]:
    return {"name": f"Lamp {n}", "sku": f"LAMP-{n:03d}", "category_id": world.category,
            "price_cents": 1000}  # fmt: skip


def new_code(_world: World, n: int) -> dict[str, Any]:
    return {"code": f"CODE{n:03d}", "kind": "fixed", "value": 100}


TABLE = [
    Call("GET", "/health", EVERYONE),
    Call("GET", "/categories", EVERYONE),
    Call("GET", "/products", EVERYONE),
    Call("GET", "/products/{product}", EVERYONE),
    Call("POST", "/auth/register", (422,) * 5, BAD_SIGN_UP),
    Call("POST", "/auth/token", (401,) * 5, {"username": "nobody", "password": "wrong-one-1"}),
    Call("GET", "/auth/me", SIGNED_IN),
    Call("GET", "/cart", SIGNED_IN),
    Call("POST", "/cart/items", SIGNED_IN, lambda w, _n: {"product_id": w.product}),
    Call("PATCH", "/cart/items/{product}", SIGNED_IN, {"quantity": 1}),
    Call("DELETE", "/cart/items/{product}", SIGNED_IN),
    Call("DELETE", "/cart", SIGNED_IN),
    Call("POST", "/discounts/validate", SIGNED_IN, {"code": "NOPE"}),
    Call("POST", "/orders", (401, 422, 422, 422, 422), {"shipping": NOWHERE}),
    Call("GET", "/orders", SIGNED_IN),
    Call("GET", "/orders/{pending}", OWNER_ONLY),
    Call("POST", "/orders/{cancelled}/cancel", (401, 409, 404, 404, 404)),
    Call(
        "POST",
        "/payment/stripe-checkout",
        (401, 409, 404, 404, 404),
        lambda w, _n: {"order_id": w.cancelled},
    ),  # fmt: skip
    Call("POST", "/payment/stripe-confirm", (401, 422, 422, 422, 422), {"session_id": "x"}),
    Call("POST", "/webhooks/stripe", (400,) * 5, {"id": "evt_unsigned"}),
    Call("GET", "/admin/orders", STAFF),
    Call("GET", "/admin/orders/{pending}", STAFF),
    Call("POST", "/admin/orders/{pending}/process", operator_only(409)),
    Call("POST", "/admin/orders/{pending}/ship", operator_only(409), SHIP),
    Call("POST", "/admin/orders/{pending}/deliver", operator_only(409)),
    Call("POST", "/admin/orders/{cancelled}/cancel", operator_only(409), {"reason": "x"}),
    Call("POST", "/admin/orders/{pending}/refund", operator_only(409), {}),
    Call("GET", "/admin/products", STAFF),
    Call("POST", "/admin/products", operator_only(201), new_product),
    Call("PATCH", "/admin/products/{product}", operator_only(200), {"featured": True}),
    Call("POST", "/admin/products/{product}/stock", operator_only(200), RESTOCK),
    Call("GET", "/admin/discounts", STAFF),
    Call("POST", "/admin/discounts", operator_only(201), new_code),
    Call("PATCH", "/admin/discounts/{code}", operator_only(200), {"active": True}),
    Call("GET", "/admin/analytics/summary", STAFF),
    Call("GET", "/admin/analytics/dashboard", STAFF),
]


@pytest.fixture(scope="module")
def shop(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[TestClient, World, dict[str, dict[str, str]]]]:
    engine = build_engine(fresh_db(tmp_path_factory.mktemp("access"), sqlite_template))
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
    _api, app = mounted(engine)
    with TestClient(app, base_url="http://testserver/api") as client:
        tokens = {role: bearer(client, username) for role, username in USERS.items()}
        yield client, world, {"anonymous": {}, **tokens}
    engine.dispose()


def build_world(db: Session) -> World:
    ada = make_user(db, username="ada")
    make_user(db, username="bob")
    make_user(db, username="olivia", role=Role.OPERATOR)
    make_user(db, username="avery", role=Role.ANALYST)
    speaker = seed_catalog(db)["speaker"]
    code = DiscountCode(code="TEN", kind=DiscountKind.PERCENT, value=10)
    db.add(code)
    db.commit()
    address = ShippingAddress("Ada", "1 Way", "London", "N1 9GU", "GB")
    orders = []
    for quantity in (1, 2):  # two different carts make two orders
        cart.set_quantity(
            session=db, user_id=ada.id or 0, product_id=speaker.id or 0, quantity=quantity
        )
        orders.append(place_order(session=db, user_id=ada.id or 0, shipping=address).id or 0)
    cancel_order(session=db, order_id=orders[1], actor=Actor("ada"), reason="Changed my mind")
    return World(speaker.id or 0, speaker.category_id, orders[0], orders[1], code.id or 0)


CASES = [
    pytest.param(call, role, id=f"{call.method} {call.path} as {role}")
    for call in TABLE
    for role in ROLES
]


@pytest.mark.parametrize(("call", "role"), CASES)
def test_each_role_gets_the_expected_status_on_each_route(
    shop: tuple[TestClient, World, dict[str, dict[str, str]]], call: Call, role: str
) -> None:
    client, world, tokens = shop
    body = call.body(world, next(_unique)) if callable(call.body) else call.body
    extra = {} if body is None else {"json": body}

    response = client.request(
        call.method, call.path.format(**asdict(world)), headers=tokens[role], **extra
    )

    expected = dict(zip(ROLES, call.expected, strict=True))[role]
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert set(response.json()["error"]) == {"code", "message", "field"}


def test_the_table_covers_every_documented_route(
    shop: tuple[TestClient, World, dict[str, dict[str, str]]],
) -> None:
    client, _world, _tokens = shop
    paths = client.get("/openapi.json").json()["paths"]
    names = {"product": "{product_id}", "pending": "{order_id}", "cancelled": "{order_id}",
             "code": "{discount_id}"}  # fmt: skip

    tabled = {(call.method, call.path.format(**names)) for call in TABLE}

    assert tabled == {(method.upper(), path) for path, item in paths.items() for method in item}


def test_a_customer_never_changes_another_customers_order_or_cart(
    shop: tuple[TestClient, World, dict[str, dict[str, str]]],
) -> None:
    client, world, tokens = shop
    bob, ada = tokens["other_customer"], tokens["customer"]
    client.delete("/cart", headers=ada)
    client.post("/cart/items", json={"product_id": world.product}, headers=ada)

    client.delete("/cart", headers=bob)
    client.post(f"/orders/{world.pending}/cancel", headers=bob)

    assert len(client.get("/cart", headers=ada).json()["lines"]) == 1
    assert client.get(f"/orders/{world.pending}", headers=ada).json()["status"] == "pending"
    assert world.pending not in [o["id"] for o in client.get("/orders", headers=bob).json()]
