"""The reference page works offline, the schema documents every route, and every failure
has the same JSON shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlmodel import Session
from starlette.applications import Starlette

from shopora.api.deps import get_session
from shopora.api.security import issue_token
from shopora.config import get_settings
from shopora.models import User
from tests.api.factories_api import bearer
from tests.factories import make_user

ROUTES = {
    ("POST", "/auth/register"),
    ("POST", "/auth/token"),
    ("GET", "/auth/me"),
    ("GET", "/categories"),
    ("GET", "/products"),
    ("GET", "/products/{product_id}"),
    ("GET", "/cart"),
    ("DELETE", "/cart"),
    ("POST", "/cart/items"),
    ("PATCH", "/cart/items/{product_id}"),
    ("DELETE", "/cart/items/{product_id}"),
    ("POST", "/discounts/validate"),
    ("POST", "/orders"),
    ("GET", "/orders"),
    ("GET", "/orders/{order_id}"),
    ("POST", "/orders/{order_id}/cancel"),
    ("POST", "/payment/stripe-checkout"),
    ("POST", "/payment/stripe-confirm"),
    ("POST", "/webhooks/stripe"),
    ("GET", "/admin/orders"),
    ("GET", "/admin/orders/{order_id}"),
    ("POST", "/admin/orders/{order_id}/process"),
    ("POST", "/admin/orders/{order_id}/ship"),
    ("POST", "/admin/orders/{order_id}/deliver"),
    ("POST", "/admin/orders/{order_id}/cancel"),
    ("POST", "/admin/orders/{order_id}/refund"),
    ("GET", "/admin/products"),
    ("POST", "/admin/products"),
    ("PATCH", "/admin/products/{product_id}"),
    ("POST", "/admin/products/{product_id}/stock"),
    ("GET", "/admin/discounts"),
    ("POST", "/admin/discounts"),
    ("PATCH", "/admin/discounts/{discount_id}"),
    ("GET", "/admin/analytics/summary"),
    ("GET", "/admin/analytics/dashboard"),
    ("GET", "/health"),
}


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def referenced(schema: dict[str, Any], media: dict[str, Any]) -> dict[str, Any]:
    """The component a request or response body names (the item type for a list)."""
    body = media["schema"]
    body = body.get("items", body)
    name = body["$ref"].rsplit("/", 1)[-1]
    component: dict[str, Any] = schema["components"]["schemas"][name]
    return component


def test_the_reference_page_loads_the_local_scalar_bundle_and_the_mounted_schema(
    client: TestClient,
) -> None:
    page = client.get("/docs")
    bundle = client.get("/docs/scalar.js")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script id="api-reference" data-url="/api/docs/openapi.json"' in page.text
    assert '<script src="/api/docs/scalar.js"></script>' in page.text
    assert "https://" not in page.text  # nothing fetched from the internet
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "@scalar/api-reference" in bundle.text[:1000]


def test_the_reference_asks_for_a_bearer_token_and_no_oauth_client(
    client: TestClient, schema: dict[str, Any]
) -> None:
    shown = client.get("/docs/openapi.json").json()

    bearer = shown["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert "flows" not in bearer
    assert shown["servers"] == [{"url": "/api"}]
    assert shown["paths"] == schema["paths"]


def test_the_api_description_shows_the_same_test_card_as_the_shop(
    schema: dict[str, Any],
) -> None:
    assert "4000 0566 5566 5556" in schema["info"]["description"]
    assert "4242" not in schema["info"]["description"]


def test_the_schema_lists_every_route_and_points_try_it_at_the_mount(
    schema: dict[str, Any],
) -> None:
    assert set(operations(schema)) == ROUTES
    assert schema["servers"] == [{"url": "/api"}]
    assert schema["info"]["title"] == "Shopora API"
    assert "five states" in schema["info"]["description"]
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "auth/token"  # resolves to /api/auth/token


def test_every_request_and_response_body_has_a_schema_with_examples(
    schema: dict[str, Any],
) -> None:
    missing = []
    for key, operation in operations(schema).items():
        bodies = [operation.get("requestBody", {}).get("content", {}).get("application/json")]
        success = [r for code, r in operation["responses"].items() if code.startswith("2")]
        bodies += [r.get("content", {}).get("application/json") for r in success]
        for media in filter(None, bodies):
            body = media["schema"]
            if "$ref" in body.get("items", body) and "examples" not in referenced(schema, media):
                missing.append(key)
    assert missing == []


def test_routes_that_need_a_token_declare_401_with_the_error_shape(
    schema: dict[str, Any],
) -> None:
    for (method, path), operation in operations(schema).items():
        if operation.get("security"):
            declared = operation["responses"].get("401", {}).get("content", {})
            ref = declared["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorResponse"), (method, path)


def test_an_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.put("/products")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_bad_body_is_a_422_naming_the_first_bad_field(client: TestClient, db: Session) -> None:
    make_user(db, username="ada")
    ada = bearer(client, "ada")

    response = client.post("/cart/items", json={"product_id": "x"}, headers=ada)

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("validation_failed", "product_id")


def test_malformed_json_is_a_422_not_a_500(client: TestClient, db: Session) -> None:
    make_user(db, username="ada")
    headers = {**bearer(client, "ada"), "Content-Type": "application/json"}

    response = client.post("/cart/items", content=b"{nope", headers=headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_a_missing_token_is_a_401_asking_for_a_bearer_token(client: TestClient) -> None:
    response = client.get("/cart")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."])
def test_a_forged_token_is_a_401(client: TestClient, token: str) -> None:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_an_expired_token_is_a_401(client: TestClient, db: Session) -> None:
    user = make_user(db)
    issued = datetime.now(UTC) - timedelta(hours=2)
    token = issue_token(get_settings(), user.id or 0, now=issued).access_token

    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_the_token_of_a_deleted_or_deactivated_user_stops_working(
    client: TestClient, db: Session
) -> None:
    gone, frozen = make_user(db), make_user(db)
    gone_headers, frozen_headers = bearer(client, gone.username), bearer(client, frozen.username)
    db.delete(db.get(User, gone.id))
    frozen.is_active = False
    db.add(frozen)
    db.commit()

    assert client.get("/auth/me", headers=gone_headers).status_code == 401
    assert client.get("/auth/me", headers=frozen_headers).status_code == 401


def test_sign_in_attempts_are_limited_per_client_with_retry_after(
    client: TestClient, db: Session
) -> None:
    make_user(db, username="ada")
    wrong = {"username": "nobody", "password": "wrong-password1"}
    statuses = [client.post("/auth/token", data=wrong).status_code for _ in range(10)]

    limited = client.post("/auth/token", data={"username": "ada", "password": "password123"})

    assert statuses == [401] * 10
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "too_many_attempts"


def test_health_reports_the_database_and_the_stripe_mode(client: TestClient) -> None:
    assert client.get("/health").json() == {
        "status": "ok",
        "database": "ok",
        "stripe_mode": get_settings().stripe_mode,
    }


def test_health_is_a_503_when_the_database_does_not_answer(
    api: tuple[FastAPI, Starlette], client: TestClient, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    broken = create_engine(f"sqlite:///{tmp_path / 'a-file' / 'shop.sqlite3'}")

    def unreachable() -> Iterator[Session]:
        with Session(broken) as session:
            yield session

    api[0].dependency_overrides[get_session] = unreachable
    response = client.get("/health")

    assert response.status_code == 503
    assert (response.json()["status"], response.json()["database"]) == ("degraded", "error")
