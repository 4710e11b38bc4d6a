"""The operator console in a real browser, on the suite's live server: the orders table sorts
money as numbers and opens an order in one click, the dashboard's counts open the filtered
list, a newly paid order reaches the dashboard by itself, and the stock form is empty after
a recorded change. Orders are bought through the API by a customer of this module's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shopora.ui.ops.order_table import WIDTHS
from tests.e2e.conftest import LiveServer, screenshot, sign_in, wait_for_app
from tests.ui.conftest import pay_on_stripe

pytestmark = pytest.mark.timeout(300)
ROW, HEADER, SELECT_COLUMN = 35, 36, 40  # the grid's row and header heights, checkbox width
ADDRESS = {
    "name": "Casey Customer",
    "line1": "1 Infinite Loop",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


BUYER = {
    "username": "console-buyer",
    "email": "console-buyer@example.test",
    "name": "Casey Console",
    "password": "console-buyer-1",
}
# $89.00 and $129.00 (free shipping over $75): as text "89" sorts above "129".
DAYPACK, HEADPHONES = "Summit 22L Daypack", "Aurora Wireless Headphones"


@pytest.fixture(scope="module")
def shop(live_server: LiveServer) -> LiveServer:
    """The suite's server, with two paid orders whose totals sort differently as text."""
    httpx.post(f"{live_server.url}/api/auth/register", json=BUYER).raise_for_status()
    paid_order(live_server, DAYPACK)
    paid_order(live_server, HEADPHONES)
    return live_server


@pytest.fixture(scope="module")
def operator(shop: LiveServer, browser: Any) -> Iterator[Any]:
    """One signed-in tab for the module (a sign-in costs seconds on a busy machine)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, shop, "operator", "operator123")
    yield page
    context.close()


def column_x(grid: Any, name: str) -> float:
    """The middle of a column of the orders table (its widths are fixed)."""
    box = grid.bounding_box()
    names = list(WIDTHS)
    before = sum(WIDTHS[column] for column in names[: names.index(name)])
    return float(box["x"]) + SELECT_COLUMN + before + WIDTHS[name] / 2


def grid_rows(grid: Any) -> int:
    return min(8, int(grid.locator("table").get_attribute("aria-rowcount")) - 1)


def cells(grid: Any, column: str, rows: int = 8) -> list[str]:
    """What the grid's accessible table says is in the first rows of a column."""
    index = list(WIDTHS).index(column) + 1
    return [
        grid.locator(f'[data-testid="glide-cell-{index}-{r}"]').inner_text() for r in range(rows)
    ]


def test_sorting_orders_by_total_sorts_the_amounts_as_numbers(
    shop: LiveServer, operator: Any
) -> None:
    operator.goto(f"{shop.url}/admin_orders")
    wait_for_app(operator)
    grid = operator.locator('[data-testid="stDataFrame"]').first
    header_y = grid.bounding_box()["y"] + HEADER / 2

    operator.mouse.click(column_x(grid, "Total"), header_y)  # ascending
    operator.mouse.click(column_x(grid, "Total"), header_y)  # descending
    operator.wait_for_timeout(500)

    totals = [float(text) for text in cells(grid, "Total", rows=grid_rows(grid))]
    assert totals == sorted(totals, reverse=True)
    assert totals.index(129.0) < totals.index(89.0)  # as numbers, not as the text "89" > "129"
    screenshot(operator, "ops-orders-by-total")


def test_an_order_number_opens_the_order_in_one_click(shop: LiveServer, operator: Any) -> None:
    operator.goto(f"{shop.url}/admin_orders")
    wait_for_app(operator)
    grid = operator.locator('[data-testid="stDataFrame"]').first
    number = cells(grid, "Order", 1)[0].removeprefix("admin_orders?order=")
    x, y = column_x(grid, "Order") - 20, grid.bounding_box()["y"] + HEADER + ROW / 2

    operator.mouse.move(x, y)
    with operator.context.expect_page() as opened:
        operator.mouse.click(x, y)
    order = opened.value
    wait_for_app(order)

    assert order.url.endswith(f"admin_orders?order={number}")
    order.get_by_role("heading", name=f"Order {number}").wait_for(timeout=15_000)
    assert "Payment proof" in order.inner_text("body")
    order.close()


def test_a_dashboard_count_opens_the_orders_list_filtered_to_it(
    shop: LiveServer, operator: Any
) -> None:
    operator.goto(f"{shop.url}/dashboard")
    wait_for_app(operator)
    link = operator.get_by_role("link", name=re.compile(r"Awaiting fulfilment · \d+"))
    awaiting = int(re.search(r"\d+", link.inner_text()).group(0))  # type: ignore[union-attr]

    link.click()
    operator.wait_for_url(re.compile(r"admin_orders\?view=unfulfilled"), timeout=15_000)
    wait_for_app(operator)

    assert len(operator.context.pages) == 1  # the same tab (the order test closed its own)
    assert f"{awaiting:,} matching orders" in operator.inner_text("body")
    assert "open_in_new" not in operator.inner_html('[data-testid="stMainBlockContainer"]')


def test_a_newly_paid_order_reaches_the_dashboard_without_a_reload(
    shop: LiveServer, operator: Any
) -> None:
    operator.goto(f"{shop.url}/dashboard")
    wait_for_app(operator)
    operator.evaluate("window.__not_reloaded = true")

    number = paid_order(shop, DAYPACK)

    operator.get_by_text(number).first.wait_for(timeout=10_000)
    assert operator.evaluate("window.__not_reloaded === true")
    screenshot(operator, "ops-dashboard")


def paid_order(shop: LiveServer, product_name: str) -> str:
    """The module's customer buys one product through the API and pays on the hosted page."""
    with httpx.Client(base_url=f"{shop.url}/api", timeout=30) as api:
        token = api.post("/auth/token", json={k: BUYER[k] for k in ("username", "password")})
        buyer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        found = api.get("/products", params={"q": product_name}).json()["items"][0]
        api.post("/cart/items", json={"product_id": found["id"], "quantity": 1}, headers=buyer)
        order = api.post("/orders", json={"shipping": ADDRESS}, headers=buyer).json()
        started = api.post(
            "/payment/stripe-checkout", json={"order_id": order["id"]}, headers=buyer
        ).json()
        assert pay_on_stripe(started["url"]).status_code == 303
        confirmed = api.post(
            "/payment/stripe-confirm", json={"session_id": started["session_id"]}, headers=buyer
        )
        assert confirmed.json()["payment_status"] == "paid"
    return str(order["number"])


def test_the_stock_form_is_empty_after_a_recorded_change(shop: LiveServer, operator: Any) -> None:
    operator.goto(f"{shop.url}/admin_products?product=1")
    wait_for_app(operator)
    dialog = operator.get_by_role("dialog")
    on_hand = dialog.locator('[data-testid="stMetricValue"]').first
    before = int(on_hand.inner_text())

    dialog.get_by_role("spinbutton", name="Change in units").fill("5")
    dialog.get_by_role("textbox", name="Note").fill("Delivery from supplier")
    dialog.get_by_role("button", name="Record stock change").click()
    operator.get_by_text("on hand now").first.wait_for(timeout=15_000)
    wait_for_app(operator)

    assert int(on_hand.inner_text()) == before + 5
    assert dialog.get_by_role("spinbutton", name="Change in units").input_value() == "0"
    assert dialog.get_by_role("textbox", name="Note").input_value() == ""
    screenshot(operator, "ops-product-dialog")
