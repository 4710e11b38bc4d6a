"""The shop on a phone (390 × 844): the cart link and the navigation are in view on every
page (not behind the sidebar chevron), the filters wait behind an expander, products come
two to a row, the cart's checkout button is on the first screen, badges are readable, and
dates are on the phone's own clock."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shopora.ui.theme import AA_NORMAL_TEXT, contrast_ratio
from tests.e2e.conftest import LiveServer, add_to_cart, screenshot, sign_in, wait_for_app

PHONE = {"width": 390, "height": 844}
CART = re.compile(r"^Cart \(\d+\)$")
NOTEBOOK = "Fieldnote Dot Grid Notebook"
ADDRESS = {
    "name": "Pat Phone", "line1": "1 Infinite Loop", "city": "Springfield",
    "region": "IL", "postal_code": "12345", "country": "US",
}  # fmt: skip

pytestmark = pytest.mark.timeout(240)


def in_first_screen(locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def cart_link_in_view(page: Any) -> bool:
    return in_first_screen(page.get_by_role("link", name=CART))


def rgb_hex(css: str) -> str:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def register_with_an_order(server: LiveServer, username: str) -> None:
    """A customer with one pending order (through the API), so My orders has a date."""
    password = f"{username}12345"
    httpx.post(
        f"{server.url}/api/auth/register",
        json={"username": username, "email": f"{username}@example.test",
              "name": username.title(), "password": password},
    ).raise_for_status()  # fmt: skip
    token = httpx.post(
        f"{server.url}/api/auth/token", json={"username": username, "password": password}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    products = httpx.get(f"{server.url}/api/products").json()
    items = products["items"] if isinstance(products, dict) else products
    mug = next(p for p in items if p["name"] == "Ember Stoneware Mug")
    cart = {"product_id": mug["id"], "quantity": 2}
    httpx.post(f"{server.url}/api/cart/items", json=cart, headers=auth).raise_for_status()
    httpx.post(
        f"{server.url}/api/orders", json={"shipping": ADDRESS}, headers=auth
    ).raise_for_status()
    # an unpaid order leaves its lines in the cart: empty it, so the cart holds one item
    httpx.delete(f"{server.url}/api/cart", headers=auth).raise_for_status()


def test_the_phone_shop_keeps_the_cart_in_view_and_checkout_on_the_first_screen(
    live_server: LiveServer, browser: Any
) -> None:
    server = live_server
    register_with_an_order(server, "phoebe")
    context = browser.new_context(viewport=PHONE, is_mobile=True, timezone_id="America/Chicago")
    page = context.new_page()

    # The shop: cart and sign-in in view, filters folded away, two products to a row
    page.goto(f"{server.url}/shop")
    wait_for_app(page)
    assert cart_link_in_view(page)
    assert in_first_screen(page.get_by_role("link", name="Sign in", exact=True))
    assert not page.get_by_role("textbox", name="Search").is_visible()
    adds = page.get_by_role("button", name="Add to cart")
    first, second = adds.nth(0).bounding_box(), adds.nth(1).bounding_box()
    assert first and second
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + 100
    badge = page.locator(".stMarkdownBadge").filter(has_text="In stock").first
    colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).background]")
    assert contrast_ratio(*(rgb_hex(c) for c in colours)) >= AA_NORMAL_TEXT
    screenshot(page, "phone-01-shop")
    page.get_by_text("Search and filters").click()
    assert page.get_by_role("textbox", name="Search").is_visible()

    # The cart with one item: compact line, the way to checkout on the first screen
    add_to_cart(page, NOTEBOOK)
    page.get_by_role("link", name=CART).click()
    wait_for_app(page)
    assert cart_link_in_view(page)
    assert in_first_screen(page.get_by_role("button", name="Sign in to check out"))
    screenshot(page, "phone-02-cart")

    # Signed in: the cart link and My orders are in view on every shopper page
    sign_in(page, server, "phoebe", "phoebe12345")
    for path in ("shop", "cart", "checkout", "my_orders", "account"):
        page.goto(f"{server.url}/{path}")
        wait_for_app(page)
        assert cart_link_in_view(page), path
        assert in_first_screen(page.get_by_role("link", name="My orders", exact=True)), path
    page.goto(f"{server.url}/cart")
    wait_for_app(page)
    assert "1 item(s)" in page.inner_text("body")
    assert in_first_screen(page.get_by_role("button", name="Proceed to checkout"))

    # My orders: what was bought, dated on the phone's clock (Chicago)
    page.goto(f"{server.url}/my_orders")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "2 × Ember Stoneware Mug" in body
    assert re.search(r"\d{2}:\d{2} C[SD]T", body), body[:500]
    screenshot(page, "phone-03-my-orders")
    context.close()
