"""Access in a real browser: deep links on a fresh server, sign-in through the form, the
cookie restoring the user in a new tab."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer, screenshot, sign_in, wait_for_app

CUSTOMER_PAGES = ["checkout", "my_orders"]
STAFF_CONTENT = {
    "dashboard": "Net revenue",
    "admin_orders": "Export CSV",
    "admin_products": "Products & stock",
    "admin_discounts": "Discount codes",
    "analytics": "Revenue trend",
}


@pytest.mark.timeout(180)
def test_a_fresh_server_denies_anonymous_deep_links_to_every_staff_page(
    fresh_server: LiveServer, browser: object
) -> None:
    # given a server that has answered nothing yet (the `pages/` pitfall: the first request
    # to /<page> could run that page file without Home.py)
    for name in list(STAFF_CONTENT) + CUSTOMER_PAGES:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        # when an anonymous visitor opens the page directly
        page.goto(f"{fresh_server.url}/{name}")
        wait_for_app(page)
        # then they get the page's own refusal, or the shop (the page is not theirs), and
        # never the page's content
        body = page.inner_text("body")
        refused = "Please sign in to see this page." in body
        redirected = f"/{name}" not in page.url and "products" in body
        assert refused or redirected, f"/{name} was not denied ({page.url}):\n{body}"
        assert STAFF_CONTENT.get(name, "Place order") not in body
        if name == "dashboard":
            screenshot(page, "15-anonymous-deep-link-denied")
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


@pytest.mark.timeout(180)
def test_a_deep_link_asks_to_sign_in_and_comes_back_to_the_page(
    live_server: LiveServer, browser: object
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    # every role's front page has its own URL, not only "/"
    page.goto(f"{live_server.url}/shop")
    wait_for_app(page)
    assert "Page not found" not in page.inner_text("body")
    # an emailed link to the orders page, opened signed out
    page.goto(f"{live_server.url}/my_orders")
    wait_for_app(page)
    assert "Please sign in to see this page." in page.inner_text("body")
    page.get_by_role("main").get_by_role("link", name="Sign in to continue").click()
    wait_for_app(page)
    assert len(context.pages) == 1  # the same tab (and Streamlit session) goes on
    page.get_by_label("Username or email").fill("customer")
    page.get_by_label("Password", exact=True).fill("customer123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.endswith("/my_orders"), timeout=45_000)
    wait_for_app(page)
    body = page.inner_text("body")
    # the customer's own order list
    assert "Please sign in" not in body
    assert page.get_by_role("heading", name="My orders").is_visible()
    context.close()


@pytest.mark.timeout(180)
def test_an_operator_opens_the_dashboard_by_its_url(
    live_server: LiveServer, browser: object
) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, "operator", "operator123")
    page.goto(f"{live_server.url}/dashboard")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "Page not found" not in body and "Net revenue" in body
    context.close()


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
