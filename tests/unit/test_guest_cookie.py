"""The server hands each browser a guest id with its first page (not with API answers)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from shopora.server import GuestCookie
from shopora.services import guest_carts


def client(*, secure: bool = False) -> TestClient:
    app = Starlette(
        routes=[
            Route("/shop", lambda _request: HTMLResponse("<html></html>")),
            Route("/api/health", lambda _request: JSONResponse({"status": "ok"})),
        ],
        middleware=[Middleware(GuestCookie, name="shopora_guest", max_age_days=30, secure=secure)],
    )
    return TestClient(app, base_url="https://shop.test" if secure else "http://shop.test")


def test_the_first_page_load_gets_a_random_http_only_guest_id() -> None:
    first = client().get("/shop").headers["set-cookie"]
    second = client().get("/shop").headers["set-cookie"]

    token = first.split(";")[0].removeprefix("shopora_guest=")
    assert guest_carts.is_token(token)
    assert first != second
    for attribute in ("Path=/", "Max-Age=2592000", "HttpOnly", "SameSite=Lax"):
        assert attribute in first
    assert "Secure" not in first


def test_a_browser_that_has_one_keeps_it() -> None:
    browser = client()
    browser.get("/shop")
    assert "set-cookie" not in browser.get("/shop").headers


def test_api_answers_never_set_it() -> None:
    assert "set-cookie" not in client().get("/api/health").headers


def test_over_https_the_cookie_is_secure() -> None:
    assert "Secure" in client(secure=True).get("/shop").headers["set-cookie"]
