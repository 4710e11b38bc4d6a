"""The reviewer walk, as one story in a real browser against a fresh server (emulator mode):
browse → cart → sign in (cart merges) → checkout → pay in a new tab → verified receipt →
operator fulfils → customer tracks the parcel; plus a declined card and a foreign receipt.

Each step leaves a screenshot in docs/screenshots/ (the README's tour)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    LiveServer,
    add_to_cart,
    screenshot,
    sign_in,
    sign_out,
    wait_for_app,
)

SPEAKER = "Pebble Bluetooth Speaker"
NOTEBOOK = "Fieldnote Dot Grid Notebook"
CART = re.compile(r"^Cart \(\d+\)$")  # the shop bar's link, with the count
CARD_FIELDS = {"cardExpiry": "12 / 34", "cardCvc": "123", "billingPostalCode": "12345"}

pytestmark = pytest.mark.timeout(300)


def api_token(server: LiveServer, username: str, password: str) -> str:
    response = httpx.post(
        f"{server.url}/api/auth/token", json={"username": username, "password": password}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def stock(server: LiveServer, token: str) -> dict[str, tuple[int, int]]:
    """sku → (on hand, reserved), as the operator API reports it."""
    response = httpx.get(
        f"{server.url}/api/admin/products", headers={"Authorization": f"Bearer {token}"}
    )
    response.raise_for_status()
    body = response.json()
    rows = body["items"] if isinstance(body, dict) else body
    return {row["name"]: (row["on_hand"], row["reserved"]) for row in rows}


def confirm(page: Any, action: str) -> None:
    """Press the operator dialog's button and wait until the action has run (dialog gone)."""
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name=action).click()
    dialog.wait_for(state="detached", timeout=20_000)
    wait_for_app(page)


def fill_card(pay: Any, number: str) -> None:
    pay.fill("#cardNumber", number)
    for field, value in CARD_FIELDS.items():
        pay.fill(f"#{field}", value)
    pay.fill("#billingName", "Casey Customer")


def place_order(page: Any) -> str:
    """From the cart page, the way a customer goes: proceed, fill the address, place."""
    page.get_by_role("button", name="Proceed to checkout").click()
    page.get_by_role("button", name="Place order").wait_for(timeout=15_000)
    wait_for_app(page)
    page.get_by_role("textbox", name="Address line 1").fill("1 Infinite Loop")
    page.get_by_role("textbox", name="City").fill("Springfield")
    page.get_by_role("textbox", name="State / region (optional)").fill("IL")
    page.get_by_role("textbox", name="Postal code").fill("12345")
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("is placed and its items are held").wait_for(timeout=20_000)
    wait_for_app(page)
    placed = page.get_by_text(re.compile(r"Order SO-\d+ is placed")).first.inner_text()
    return re.search(r"SO-\d+", placed).group(0)  # type: ignore[union-attr]


def open_cart(page: Any) -> str:
    """Follow the shop bar's cart link and wait for the cart itself (on a busy machine the
    old page can still be on screen right after the click)."""
    page.get_by_role("link", name=CART).click()
    page.wait_for_url(re.compile(r"/cart$"), timeout=20_000)
    page.get_by_role("heading", name="Your cart").wait_for(timeout=20_000)
    wait_for_app(page)
    return str(page.inner_text("body"))


def open_stripe(page: Any) -> Any:
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Pay with Stripe").click()
    pay = new_tab.value
    pay.wait_for_load_state()
    return pay


def test_the_reviewer_walk(live_server: LiveServer, browser: Any) -> None:
    server = live_server
    operator_token = api_token(server, "operator", "operator123")
    before = stock(server, operator_token)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()

    # 1. Anonymous: browse, filter by category, add two products
    page.goto(server.url)
    wait_for_app(page)
    screenshot(page, "01-shop")
    page.get_by_role("radio", name=re.compile(r"^Audio")).click()
    wait_for_app(page)
    # the rerun that applies the category may still be drawing on a busy machine
    page.get_by_text("Showing 1–4 of 4 products").wait_for(timeout=20_000)
    add_to_cart(page, SPEAKER)
    page.get_by_role("radio", name=re.compile(r"^Home Office")).click()
    wait_for_app(page)
    add_to_cart(page, NOTEBOOK)
    screenshot(page, "02-filtered-and-added")
    body = open_cart(page)
    assert SPEAKER in body and NOTEBOOK in body

    # ... and sign in as the demo customer: the anonymous cart merges into theirs
    sign_in(page, server, "customer", "customer123", in_app=True)
    body = open_cart(page)
    assert SPEAKER in body and NOTEBOOK in body
    page.get_by_role("textbox", name="Discount code").fill("WELCOME10")
    page.get_by_role("textbox", name="Discount code").press("Enter")
    page.get_by_text("WELCOME10 applied").wait_for(timeout=15_000)
    wait_for_app(page)
    screenshot(page, "03-cart-merged-with-code")

    # 2. Checkout with an address and WELCOME10; place the order; pay in a new tab
    number = place_order(page)
    screenshot(page, "04-order-placed-pay-with-stripe")
    card = page.locator('[data-testid="stCode"]').filter(has_text="4000 0566").first
    card.hover()
    card.get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == "4000 0566 5566 5556"
    pay = open_stripe(page)
    assert "TEST MODE" in pay.inner_text("body")
    fill_card(pay, copied)
    screenshot(pay, "05-stripe-hosted-page")
    pay.click("#submit")
    pay.get_by_text("Verified with Stripe").first.wait_for(timeout=30_000)
    wait_for_app(pay)
    assert number in pay.inner_text("body")
    screenshot(pay, "06-receipt-verified-with-stripe")
    # the first tab's status panel turns to paid by itself
    page.get_by_text("Paid — verified with Stripe").first.wait_for(timeout=20_000)
    screenshot(page, "07-checkout-tab-sees-paid")

    # 3. Stock of both products dropped; the cart no longer holds them
    after = stock(server, operator_token)
    assert after[SPEAKER][0] == before[SPEAKER][0] - 1
    assert after[NOTEBOOK][0] == before[NOTEBOOK][0] - 1
    assert after[SPEAKER][1] == before[SPEAKER][1]  # the hold became the sale
    customer_token = api_token(server, "customer", "customer123")
    cart = httpx.get(
        f"{server.url}/api/cart", headers={"Authorization": f"Bearer {customer_token}"}
    ).json()
    assert cart["lines"] == []

    # 4. The operator: the order is in the dashboard's queue, with its payment proof;
    #    start processing, ship with a tracking number, mark delivered
    sign_out(page, server)
    sign_in(page, server, "operator", "operator123")
    assert number in page.inner_text("body")  # the dashboard's "awaiting fulfilment" queue
    screenshot(page, "08-operator-dashboard")
    page.get_by_role("link", name=re.compile(number)).first.click()
    wait_for_app(page)
    body = page.inner_text("body")
    assert "pi_" in body and "cs_test_" in body
    screenshot(page, "09-operator-order-payment-proof")
    page.get_by_role("button", name="Start processing").first.click()
    confirm(page, "Start processing")
    page.get_by_role("button", name="Ship…").click()
    dialog = page.get_by_role("dialog")
    dialog.locator('[data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="UPS", exact=True).click()
    dialog.get_by_role("textbox", name="Tracking number").fill("1Z999AA10123456784")
    confirm(page, "Mark as shipped")
    page.get_by_role("button", name="Mark delivered").first.click()
    confirm(page, "Mark delivered")
    page.wait_for_function("() => document.body.innerText.includes('Delivered')", timeout=15_000)
    screenshot(page, "10-operator-delivered")

    # 5. The customer: My orders shows the timeline with the tracking number
    sign_out(page, server)
    sign_in(page, server, "customer", "customer123")
    page.goto(f"{server.url}/my_orders")
    wait_for_app(page)
    row = page.locator('[data-testid="stHorizontalBlock"]').filter(has_text=number).first
    row.get_by_role("button", name="Details").click()
    page.get_by_role("heading", name=f"Order {number}").wait_for(timeout=20_000)
    wait_for_app(page)
    body = page.inner_text("body")
    assert "1Z999AA10123456784" in body and "Delivered" in body
    assert "Springfield, IL 12345" in body
    screenshot(page, "11-customer-tracking-timeline")

    # 6. A declined card shows the decline, the order stays pending; "back" returns to it
    page.get_by_role("link", name="Shop", exact=True).click()
    wait_for_app(page)
    add_to_cart(page, NOTEBOOK)
    open_cart(page)
    declined_number = place_order(page)
    pay = open_stripe(page)
    fill_card(pay, "4000 0000 0000 0002")
    pay.click("#submit")
    pay.locator("#error").wait_for(timeout=15_000)
    assert "Your card was declined." in pay.locator("#error").inner_text()
    screenshot(pay, "12-declined-card")
    pay.click("#back")
    pay.get_by_text("Payment not completed").wait_for(timeout=20_000)
    wait_for_app(pay)
    body = pay.inner_text("body")
    assert declined_number in body and "pending" in body.lower()
    screenshot(pay, "13-back-to-pending-order")

    # 7. Another customer cannot open this customer's receipt
    receipts = httpx.get(
        f"{server.url}/api/orders", headers={"Authorization": f"Bearer {customer_token}"}
    ).json()
    paid = next(o for o in receipts if o["number"] == number)
    httpx.post(
        f"{server.url}/api/auth/register",
        json={
            "username": "mallory",
            "email": "mallory@example.test",
            "name": "Mallory",
            "password": "mallory123",
        },
    ).raise_for_status()
    sign_out(page, server)
    sign_in(page, server, "mallory", "mallory123")
    page.goto(f"{server.url}/payment_return?session_id={paid['stripe_session_id']}")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "We couldn't find that payment for your account" in body
    assert "Verified with Stripe" not in body
    screenshot(page, "14-foreign-receipt-refused")
    context.close()
