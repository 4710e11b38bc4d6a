"""Access in a real browser: deep links on a fresh server, sign-in through the form, the
cookie restoring the user in a new tab."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer, screenshot, wait_for_app

OPERATOR_PAGES = ["dashboard", "admin_orders", "admin_products", "admin_discounts", "analytics"]
CUSTOMER_PAGES = ["checkout", "my_orders"]


def sign_in(page: object, server: LiveServer, username: str, password: str) -> None:
    page.goto(f"{server.url}/account")  # type: ignore[attr-defined]
    wait_for_app(page)
    page.get_by_label("Username or email").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.get_by_text("Welcome back").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    # the cookie component writes the cookie in the browser just after the run
    page.wait_for_function("() => document.cookie.includes('shopora_auth')", timeout=10_000)  # type: ignore[attr-defined]


@pytest.mark.timeout(180)
def test_a_fresh_server_denies_anonymous_deep_links_to_every_staff_page(
    fresh_server: LiveServer, browser: object
) -> None:
    # given a server that has answered nothing yet, so the first request to /<page> can run
    # that page file without Home.py
    for name in OPERATOR_PAGES + CUSTOMER_PAGES:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        # when an anonymous visitor opens the page directly
        page.goto(f"{fresh_server.url}/{name}")
        wait_for_app(page)
        # then the page itself refuses
        body = page.inner_text("body")
        assert "Please sign in to see this page." in body, f"/{name} was not denied:\n{body}"
        if name == "dashboard":
            screenshot(page, "access-denied-fresh-server")
        context.close()


@pytest.mark.timeout(180)
def test_a_customer_signs_in_through_the_form_and_a_new_tab_knows_them(
    live_server: LiveServer, browser: object
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, "customer", "customer123")
    assert any(c["name"] == "shopora_auth" for c in context.cookies())

    second = context.new_page()
    second.goto(f"{live_server.url}/my_orders")
    wait_for_app(second)
    assert "Casey Customer" in second.inner_text("body")
    context.close()


STAFF_CONTENT = {
    "dashboard": "Net revenue",
    "admin_orders": "Export CSV",
    "admin_products": "Products & stock",
    "admin_discounts": "Discount codes",
    "analytics": "Revenue trend",
}


@pytest.mark.timeout(180)
def test_a_customer_is_turned_away_from_operator_pages(
    live_server: LiveServer, browser: object
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(live_server.url)
    wait_for_app(page)
    sign_in(page, live_server, "customer", "customer123")
    for name, staff_only_text in STAFF_CONTENT.items():
        page.goto(f"{live_server.url}/{name}")
        wait_for_app(page)
        body = page.inner_text("body")
        # the page is not in a customer's navigation: they land on the shop, or (when the
        # page file ran on its own) on the page's own refusal
        refused = "This page is for" in body
        redirected = f"/{name}" not in page.url and "products" in body
        assert refused or redirected, f"/{name} as a customer showed ({page.url}):\n{body}"
        assert staff_only_text not in body
    context.close()
