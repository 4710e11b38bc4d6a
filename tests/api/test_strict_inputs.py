"""Strict inputs: numbers are numbers, text has no control characters, bodies are small."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, Strict
from sqlmodel import Session, col, select

from shopora.api.app import create_api
from shopora.api.limits import MAX_BODY_BYTES
from shopora.models import CartItem, InventoryMovement, Product, Role
from tests.api.factories_api import bearer, seed_catalog
from tests.factories import make_user


@pytest.fixture
def catalog(db: Session) -> dict[str, Product]:
    products: dict[str, Product] = seed_catalog(db)
    return products


@pytest.fixture
def ada(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, username="ada")
    return bearer(client, "ada")


@pytest.fixture
def olivia(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, username="olivia", role=Role.OPERATOR)
    return bearer(client, "olivia")


def refused_field(response: Any) -> str:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    return str(error["field"])


@pytest.mark.parametrize("quantity", [True, "2", 2.5, None])
def test_a_quantity_that_is_not_a_json_integer_is_refused_and_the_cart_stays_empty(
    client: TestClient, db: Session, catalog: dict[str, Product], ada: dict[str, str],
    quantity: object,
) -> None:  # fmt: skip
    body = {"product_id": catalog["speaker"].id, "quantity": quantity}

    response = client.post("/cart/items", json=body, headers=ada)

    assert refused_field(response) == "quantity"
    assert db.exec(select(CartItem)).all() == []


def test_a_price_sent_as_a_string_does_not_create_a_product(
    client: TestClient, db: Session, catalog: dict[str, Product], olivia: dict[str, str]
) -> None:
    body = {"name": "Lamp", "sku": "HOME-099", "category_id": 1, "price_cents": "12"}

    response = client.post("/admin/products", json=body, headers=olivia)

    assert refused_field(response) == "price_cents"
    assert db.exec(select(Product).where(Product.sku == "HOME-099")).first() is None


@pytest.mark.parametrize("delta", ["5", True, 5.0])
def test_a_stock_delta_that_is_not_an_integer_moves_no_stock(
    client: TestClient, db: Session, catalog: dict[str, Product], olivia: dict[str, str],
    delta: object,
) -> None:  # fmt: skip
    speaker = catalog["speaker"]
    body = {"delta": delta, "reason": "restock", "note": "delivery"}

    response = client.post(f"/admin/products/{speaker.id}/stock", json=body, headers=olivia)

    assert refused_field(response) == "delta"
    db.expire_all()
    assert db.get(Product, speaker.id).stock_on_hand == 8  # type: ignore[union-attr]
    moved = select(InventoryMovement).where(col(InventoryMovement.note) == "delivery")
    assert db.exec(moved).all() == []


def test_a_flag_sent_as_a_string_is_refused(
    client: TestClient, catalog: dict[str, Product], olivia: dict[str, str]
) -> None:
    response = client.patch(
        f"/admin/products/{catalog['speaker'].id}", json={"active": "false"}, headers=olivia
    )

    assert refused_field(response) == "active"


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\u0085", "\x7f"])
def test_a_control_character_in_text_is_a_422_naming_the_field(
    client: TestClient, db: Session, catalog: dict[str, Product], olivia: dict[str, str],
    bad: str,
) -> None:  # fmt: skip
    body = {"name": f"Lamp{bad}", "sku": "HOME-099", "category_id": 1, "price_cents": 1200}

    response = client.post("/admin/products", json=body, headers=olivia)

    assert refused_field(response) == "name"
    assert "control characters" in response.json()["error"]["message"]
    assert db.exec(select(Product).where(Product.sku == "HOME-099")).first() is None


def test_a_description_keeps_its_newlines_and_tabs(
    client: TestClient, catalog: dict[str, Product], olivia: dict[str, str]
) -> None:
    body = {
        "name": "Lamp", "sku": "HOME-099", "category_id": 1, "price_cents": 1200,
        "description": "Warm.\r\n\tDimmable.",
    }  # fmt: skip

    response = client.post("/admin/products", json=body, headers=olivia)

    assert response.status_code == 201, response.text
    assert response.json()["description"] == "Warm.\r\n\tDimmable."


def test_a_control_character_in_the_query_string_is_a_422_naming_the_parameter(
    client: TestClient,
) -> None:
    response = client.get("/products", params={"q": "lamp\x00"})

    assert refused_field(response) == "q"


def test_a_control_character_in_the_path_is_a_422(client: TestClient) -> None:
    response = client.get("/products/lamp%00")

    assert refused_field(response) == "path"


def test_a_body_declared_larger_than_the_limit_is_a_413_before_it_is_read(
    client: TestClient, ada: dict[str, str]
) -> None:
    headers = {**ada, "Content-Type": "application/json"}
    body = b'{"product_id": 1, "quantity": 1, "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'

    response = client.post("/cart/items", content=body, headers=headers)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(
    client: TestClient, ada: dict[str, str]
) -> None:
    sent = 0

    def chunks() -> typing.Iterator[bytes]:
        nonlocal sent
        yield b'{"pad": "'
        for _ in range(64):  # 8 MB if it were all read
            sent += 1
            yield b"x" * (128 * 1024)
        yield b'"}'

    headers = {**ada, "Content-Type": "application/json"}
    response = client.post("/cart/items", content=chunks(), headers=headers)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_content_length_that_is_not_a_number_is_a_json_400(client: TestClient) -> None:
    response = client.post("/auth/token", headers={"Content-Length": "ten"}, content=b"")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def _routes() -> typing.Iterator[APIRoute]:
    for route in create_api().routes:
        router = getattr(route, "original_router", None)  # an included router
        for inner in getattr(router, "routes", [route]):
            if isinstance(inner, APIRoute):
                yield inner


def _models_in(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The model and the models nested in its fields."""
    found = [model]
    for field in model.model_fields.values():
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _models_in(arg)
    return found


def _body_models() -> list[type[BaseModel]]:
    models = []
    for route in _routes():
        annotation = route.body_field.field_info.annotation if route.body_field else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            models += _models_in(annotation)
    return models


def _plain(annotation: Any) -> set[type]:
    """The int/bool types a field accepts (through Optional)."""
    args = typing.get_args(annotation)
    if not args:
        return {annotation} & {int, bool}
    return set().union(*(_plain(arg) for arg in args))


def test_every_integer_and_flag_in_every_request_body_is_strict() -> None:
    lax = []
    for model in _body_models():
        for name, field in model.model_fields.items():
            strict = any(isinstance(m, Strict) and m.strict for m in field.metadata)
            nested = typing.get_args(field.annotation)
            strict = strict or any(
                isinstance(m, Strict) for arg in nested for m in getattr(arg, "__metadata__", ())
            )
            if _plain(field.annotation) and not strict:
                lax.append(f"{model.__name__}.{name}")
    assert _body_models()
    assert lax == []
