"""Products and discount codes as families: ProductBase (shopora.models.catalog) and
DiscountCodeBase (shopora.models.discounts) declare the fields, limits, cleaning and docs once;
the table, the service's input (ProductInput, DiscountInput) and the API's schemas derive from
them, so the service and the API refuse and accept the same values, and the OpenAPI document
shows the same limits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.api.app import create_api
from shopora.errors import ValidationFailed
from shopora.models import Category, Role
from shopora.models.catalog import ProductBase, ProductShopBase
from shopora.models.discounts import DiscountCodeBase
from shopora.services.discounts_admin import DiscountInput
from shopora.services.products_admin import ProductInput
from tests.api.factories_api import bearer
from tests.factories import make_category, make_user

LIMITS = ("minLength", "maxLength", "pattern", "minimum", "maximum", "description")
ONE_PAST = {
    "name": "N" * 121,
    "sku": "S" * 41,
    "price_cents": 100_000_000,
    "low_stock_threshold": 10_001,
    "description": "d" * 5001,
    "image": "i" * 256,
    "category_id": 0,
}


def _properties(name: str) -> dict[str, Any]:
    schemas = create_api().openapi()["components"]["schemas"]
    properties: dict[str, Any] = schemas[name]["properties"]
    return properties


def _limits(field_schema: dict[str, Any]) -> dict[str, Any]:
    # An optional field's limits sit on the non-null branch of its anyOf.
    for branch in field_schema.get("anyOf", []):
        if branch.get("type") != "null":
            field_schema = {**branch, **field_schema}
    return {k: field_schema[k] for k in LIMITS if k in field_schema}


@pytest.fixture
def lamps(db: Session) -> Category:
    return make_category(db, slug="lamps", name="Lamps")


@pytest.fixture
def olivia(client: TestClient, db: Session) -> dict[str, str]:
    make_user(db, username="olivia", role=Role.OPERATOR)
    return bearer(client, "olivia")


def _body(category: Category, **changes: Any) -> dict[str, Any]:
    return {"name": "Desk Lamp", "sku": "LAMP-01", "category_id": category.id, "price_cents": 2500,
            **changes}  # fmt: skip


@pytest.mark.parametrize(
    ("schema", "base"),
    [("ProductCreate", ProductBase), ("AdminProduct", ProductBase),
     ("ProductPublic", ProductShopBase)],
)  # fmt: skip
def test_the_openapi_document_shows_the_limits_declared_on_the_base(
    schema: str, base: type[ProductBase]
) -> None:
    declared = base.model_json_schema()["properties"]
    shown = _properties(schema)

    for field in base.model_fields:
        assert _limits(shown[field]) == _limits(declared[field]), field
    assert _limits(declared["name"]) == {
        "minLength": 2, "maxLength": 120, "pattern": "^[^\x00-\x1f\x7f-\x9f]*$",
        "description": "Shown in the shop; 2 to 120 characters.",
    }  # fmt: skip


def test_the_partial_update_shows_the_same_limits_and_docs() -> None:
    declared = ProductBase.model_json_schema()["properties"]
    shown = _properties("ProductUpdate")

    for field in ProductBase.model_fields:
        if field != "image":  # its doc says what null does there
            assert _limits(shown[field]) == _limits(declared[field]), field
    assert _limits(shown["price_cents"])["maximum"] == 99_999_999


@pytest.mark.parametrize("field", list(ONE_PAST))
def test_one_past_a_limit_is_refused_by_the_service_and_by_the_api(
    field: str, client: TestClient, lamps: Category, olivia: dict[str, str]
) -> None:
    body = _body(lamps, **{field: ONE_PAST[field]})

    with pytest.raises(ValidationFailed) as refused:
        ProductInput(**body)
    response = client.post("/admin/products", json=body, headers=olivia)

    assert refused.value.field == field
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_at_the_limits_the_service_and_the_api_both_accept(
    client: TestClient, lamps: Category, olivia: dict[str, str]
) -> None:
    body = _body(
        lamps, name=" " + "N" * 120 + " ", sku="s" * 40, price_cents=99_999_999,
        low_stock_threshold=10_000, description="d" * 5000,
    )  # fmt: skip

    checked = ProductInput(**body)
    response = client.post("/admin/products", json=body, headers=olivia)

    assert response.status_code == 201, response.text
    assert (checked.name, checked.sku) == ("N" * 120, "S" * 40)
    assert (response.json()["name"], response.json()["sku"]) == ("N" * 120, "S" * 40)


def test_the_service_and_the_api_clean_input_the_same_way(
    client: TestClient, lamps: Category, olivia: dict[str, str]
) -> None:
    body = _body(lamps, name="  Desk   Lamp ", sku=" lamp-02 ", description=" Warm. ", image="")

    checked = ProductInput(**body)
    response = client.post("/admin/products", json=body, headers=olivia)

    cleaned = {"name": "Desk Lamp", "sku": "LAMP-02", "description": "Warm.", "image": None}
    assert {k: getattr(checked, k) for k in cleaned} == cleaned
    assert {k: response.json()[k] for k in cleaned} == cleaned


def test_a_control_character_is_refused_by_the_service_too_and_says_so() -> None:
    with pytest.raises(ValidationFailed) as refused:
        ProductInput(name="Lamp\x07", sku="LAMP-01", category_id=1, price_cents=100)

    assert refused.value.field == "name"
    assert "control characters" in str(refused.value)


# --- discount codes: DiscountCodeBase, the same way -----------------------------------------

CODE_ONE_PAST = {
    "code": "C" * 41,
    "value": 100_000_000,
    "description": "d" * 501,
    "min_subtotal_cents": -1,
    "max_redemptions": 0,
    "starts_at": "2026-03-01T00:00:00",  # no time zone
}


@pytest.mark.parametrize("schema", ["DiscountCreate", "DiscountPublic", "DiscountUpdate"])
def test_the_discount_schemas_show_the_limits_declared_on_their_base(schema: str) -> None:
    declared = DiscountCodeBase.model_json_schema()["properties"]
    shown = _properties(schema)

    for field in DiscountCodeBase.model_fields:
        assert _limits(shown[field]) == _limits(declared[field]), field
    assert _limits(declared["code"])["maxLength"] == 40
    assert _limits(declared["max_redemptions"])["minimum"] == 1


@pytest.mark.parametrize("field", list(CODE_ONE_PAST))
def test_a_discount_field_past_its_limit_is_refused_by_the_service_and_by_the_api(
    field: str, client: TestClient, olivia: dict[str, str]
) -> None:
    body = {"code": "SPRING10", "kind": "fixed", "value": 500, field: CODE_ONE_PAST[field]}

    with pytest.raises(ValidationFailed) as refused:
        DiscountInput(**body)
    response = client.post("/admin/discounts", json=body, headers=olivia)

    assert refused.value.field == field
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_the_service_and_the_api_clean_a_code_the_same_way(
    client: TestClient, olivia: dict[str, str]
) -> None:
    body = {"code": " spring-10 ", "kind": "percent", "value": 10, "description": " Spring. ",
            "starts_at": "2026-03-01T02:00:00+02:00"}  # fmt: skip

    checked = DiscountInput(**body)
    response = client.post("/admin/discounts", json=body, headers=olivia)

    assert response.status_code == 201, response.text
    assert (checked.code, checked.description) == ("SPRING-10", "Spring.")
    assert checked.starts_at == datetime(2026, 3, 1, tzinfo=UTC)
    shown = response.json()
    assert (shown["code"], shown["description"]) == ("SPRING-10", "Spring.")
    assert shown["starts_at"] == "2026-03-01T00:00:00Z"
