"""GET /admin/analytics/dashboard: the dashboard's numbers for operators and analysts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from shopora.models import Product, Role
from shopora.models.base import utcnow
from shopora.services.shop_days import shop_day
from tests.api.factories_api import bearer, seed_catalog
from tests.api.test_admin import placed_order
from tests.factories import make_user


def test_the_dashboard_route_counts_todays_order_and_marks_today_partial(
    client: TestClient, db: Session
) -> None:
    # given a pending order placed today and an analyst
    products: dict[str, Product] = seed_catalog(db)
    placed_order(db, next(iter(products.values())), quantity=2)
    make_user(db, username="avery", role=Role.ANALYST)
    # when the analyst reads the 7-day dashboard
    response = client.get(
        "/admin/analytics/dashboard", params={"range": "7d"}, headers=bearer(client, "avery")
    )
    # then it holds seven shop days, today last and partial, and the order by its status
    assert response.status_code == 200, response.text
    board = response.json()
    today = shop_day(utcnow()).isoformat()
    assert board["partial_day"] == today
    assert [d["partial"] for d in board["by_day"]] == [False] * 6 + [True]
    assert board["by_day"][-1]["day"] == today
    assert board["by_status"]["pending"] == 1
    assert board["kpis"]["orders_placed"]["value"] == 1
    assert board["kpis"]["revenue_cents"]["value"] == 0
    assert set(board["queue"]) >= {"awaiting_fulfilment", "needs_attention", "awaiting_total"}


def test_customers_may_not_read_the_dashboard_and_a_bad_range_is_a_422(
    client: TestClient, db: Session
) -> None:
    make_user(db, username="ada")
    make_user(db, username="olivia", role=Role.OPERATOR)
    customer, operator = bearer(client, "ada"), bearer(client, "olivia")
    assert client.get("/admin/analytics/dashboard", headers=customer).status_code == 403
    assert (
        client.get("/admin/analytics/dashboard", params={"range": "1y"}, headers=operator)
    ).status_code == 422


def test_the_openapi_documents_the_dashboard_response(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/admin/analytics/dashboard"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"kpis", "by_day", "by_category", "top_products", "by_status", "queue"} <= set(
        model["properties"]
    )
    assert model["description"]
