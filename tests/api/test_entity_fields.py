"""An entity's fields and limits are declared once, on its Base (shopora.models.users.UserBase,
shopora.models.catalog.CategoryBase): the table, the service and the API's schemas agree, and
the OpenAPI document shows the same limits."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.api.app import create_api
from shopora.errors import ValidationFailed
from shopora.models.catalog import CategoryBase
from shopora.models.users import UserBase
from shopora.services import users

GOOD = {"username": "ada", "email": "ada@example.test", "name": "Ada", "password": "engine1843"}
TOO_LONG = {"username": "a" * 31, "email": "a@b." + "c" * 251, "name": "A" * 121}


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = create_api().openapi()["components"]["schemas"][name]
    return schema


@pytest.mark.parametrize("model", ["RegisterRequest", "UserPublic"])
def test_the_openapi_document_shows_the_limits_declared_on_the_base(model: str) -> None:
    declared = UserBase.model_json_schema()["properties"]
    shown = _schema(model)["properties"]

    for field in ("username", "email", "name"):
        for limit in ("minLength", "maxLength", "pattern", "description"):
            assert shown[field].get(limit) == declared[field].get(limit), (field, limit)
    assert declared["username"]["maxLength"] == 30


@pytest.mark.parametrize("field", ["username", "email", "name"])
def test_one_past_the_limit_is_refused_by_the_service_and_by_the_api(
    field: str, client: TestClient, db: Session
) -> None:
    body = {**GOOD, field: TOO_LONG[field]}

    with pytest.raises(ValidationFailed) as refused:
        users.register(
            session=db,
            username=body["username"],
            email=body["email"],
            name=body["name"],
            password=body["password"],
        )
    response = client.post("/auth/register", json=body)

    assert refused.value.field == field
    assert response.status_code == 422
    assert field in str(response.json())


def test_at_the_limit_the_service_and_the_api_both_accept(client: TestClient) -> None:
    body = {**GOOD, "username": "A" * 30, "name": " " + "N" * 120 + " "}

    response = client.post("/auth/register", json=body)

    assert response.status_code == 201
    assert response.json()["username"] == "a" * 30  # kept in lower case
    assert response.json()["name"] == "N" * 120  # trimmed


def test_the_service_cleans_input_the_same_way_the_schema_does(db: Session) -> None:
    user = users.register(
        session=db,
        username="  Ada_L ",
        email=" Ada@Example.TEST ",
        name="  Ada ",
        password="engine1843",
    )

    assert (user.username, user.email, user.name) == ("ada_l", "ada@example.test", "Ada")


def test_the_category_schema_shows_the_limits_declared_on_its_base() -> None:
    declared = CategoryBase.model_json_schema()["properties"]
    shown = _schema("CategoryPublic")["properties"]

    for field in ("slug", "name", "description"):
        assert {k: v for k, v in shown[field].items() if k != "title"} == {
            k: v for k, v in declared[field].items() if k != "title"
        }
    assert shown["slug"]["maxLength"] == 60 and "pattern" in shown["slug"]
