"""The shipping address is declared once, on shopora.models.addresses.ShippingAddressBase: the
orders table's columns, the shipping service's address and the API's schemas agree on its
fields, limits and cleaning, and the OpenAPI document shows the same limits."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

import pytest
from pydantic import ValidationError

from shopora.api.app import create_api
from shopora.api.schemas_orders import ShippingAddressIn
from shopora.errors import ValidationFailed
from shopora.models import Order
from shopora.models.addresses import ShippingAddressBase
from shopora.services.shipping import ShippingAddress

GOOD = ShippingAddress("Ada Lovelace", "12 Analytical Way", "London", "N1 9GU", "GB")
LIMITED = {"name": 120, "line1": 200, "line2": 200, "city": 100, "region": 100}


def _declared() -> dict[str, Any]:
    properties: dict[str, Any] = ShippingAddressBase.model_json_schema()["properties"]
    return properties


@pytest.mark.parametrize("model", ["ShippingAddressIn", "ShippingAddressPublic"])
def test_the_openapi_document_shows_the_limits_declared_on_the_base(model: str) -> None:
    shown = create_api().openapi()["components"]["schemas"][model]["properties"]

    for field, declared in _declared().items():
        for rule in ("minLength", "maxLength", "pattern", "description"):
            assert shown[field].get(rule) == declared.get(rule), (model, field, rule)


def test_the_base_allows_exactly_what_the_orders_table_can_hold() -> None:
    columns = Order.__table__.columns  # type: ignore[attr-defined]

    for field, declared in _declared().items():
        assert declared["maxLength"] == columns[f"shipping_{field}"].type.length, field


def test_the_service_address_has_the_fields_of_the_base() -> None:
    assert {field.name for field in fields(ShippingAddress)} == set(
        ShippingAddressBase.model_fields
    )


@pytest.mark.parametrize("field", sorted(LIMITED))
def test_one_past_a_limit_is_refused_by_the_service_and_by_the_api(field: str) -> None:
    limit = LIMITED[field]
    too_long = replace(GOOD, **{field: "x" * (limit + 1)})

    with pytest.raises(ValidationFailed) as refused:
        too_long.cleaned()
    with pytest.raises(ValidationError) as rejected:
        ShippingAddressIn.model_validate(asdict(too_long))

    assert refused.value.field == field
    assert str(refused.value) == f"Keep it under {limit} characters."
    assert rejected.value.errors()[0]["loc"] == (field,)


def test_at_the_limits_the_service_and_the_api_both_accept() -> None:
    longest = replace(GOOD, **{field: "x" * limit for field, limit in LIMITED.items()})

    assert longest.cleaned() == longest
    assert ShippingAddressIn.model_validate(asdict(longest)).model_dump() == asdict(longest)


def test_the_service_and_the_api_clean_an_address_the_same_way() -> None:
    messy = replace(GOOD, name="  Ada   Lovelace ", line2=" Flat  2 ", country="gb")

    cleaned = messy.cleaned()

    assert (cleaned.name, cleaned.line2, cleaned.country) == ("Ada Lovelace", "Flat 2", "GB")
    assert ShippingAddressIn.model_validate(asdict(messy)).model_dump() == asdict(cleaned)


def test_a_control_character_is_refused_by_the_service_and_says_so() -> None:
    with pytest.raises(ValidationFailed) as refused:
        replace(GOOD, city="Lon\x00don").cleaned()

    assert refused.value.field == "city"
    assert "control characters" in str(refused.value)
