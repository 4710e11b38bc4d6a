"""Bad requests fail the way Stripe fails them: status, SDK exception class, param, message."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import stripe

from .harness import API_KEY, FakeClock, RunningEmulator, WebhookReceiver, http, start_emulator

pytestmark = pytest.mark.timeout(30)

Params = dict[str, Any]


def _item(params: Params, index: int = 0) -> Params:
    item: Params = params["line_items"][index]
    return item


def _set(path: str, value: Any) -> Callable[[Params, FakeClock], None]:
    """A change to the valid params: set the value at a dotted path (ints index lists)."""

    def change(params: Params, clock: FakeClock) -> None:
        *parents, last = path.split(".")
        node: Any = params
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        node[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[Params, FakeClock], None]:
    def change(params: Params, clock: FakeClock) -> None:
        *parents, last = path.split(".")
        node: Any = params
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return change


def _expires_in(seconds: int) -> Callable[[Params, FakeClock], None]:
    def change(params: Params, clock: FakeClock) -> None:
        params["expires_at"] = int(clock.now) + seconds

    return change


def _many_items(count: int) -> Callable[[Params, FakeClock], None]:
    def change(params: Params, clock: FakeClock) -> None:
        params["line_items"] = [copy.deepcopy(_item(params)) for _ in range(count)]

    return change


PRICE = "line_items.0.price_data"
SHIPPING = {
    "shipping_rate_data": {
        "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"},
        "display_name": "Standard",
    }
}
CASES: list[tuple[str, Callable[[Params, FakeClock], None], str | None, str]] = [
    ("unknown param", _set("colour", "red"), "colour", "Received unknown parameter: colour"),
    ("unknown nested param", _set(f"{PRICE}.tax", "x"),
     "line_items[0][price_data][tax]", "Received unknown parameter"),
    ("mode missing", _delete("mode"), "mode", "Missing required param: mode."),
    ("mode subscription", _set("mode", "subscription"), "mode", "only `payment`"),
    ("mode nonsense", _set("mode", "rent"), "mode", "must be one of"),
    ("no line items", _delete("line_items"), "line_items", "Missing required param"),
    ("too many line items", _many_items(101), "line_items", "at most 100"),
    ("quantity zero", _set("line_items.0.quantity", 0),
     "line_items[0][quantity]", "greater than or equal to 1"),
    ("quantity missing", _delete("line_items.0.quantity"),
     "line_items[0][quantity]", "Missing required param"),
    ("amount not an integer", _set(f"{PRICE}.unit_amount", "12.50"),
     "line_items[0][price_data][unit_amount]", "Invalid integer: 12.50"),
    ("negative amount", _set(f"{PRICE}.unit_amount", -1),
     "line_items[0][price_data][unit_amount]", "greater than or equal to 0"),
    ("no product name", _delete(f"{PRICE}.product_data.name"),
     "line_items[0][price_data][product_data][name]", "Missing required param"),
    ("nine images", _set(f"{PRICE}.product_data.images", ["https://x.test/i.png"] * 9),
     "line_items[0][price_data][product_data][images]", "at most 8"),
    ("a price id", _set("line_items.0.price", "price_123"),
     "line_items[0][price]", "price_data"),
    ("unknown currency", _set(f"{PRICE}.currency", "xyz"),
     "line_items[0][price_data][currency]", "Invalid currency: xyz"),
    ("mixed currencies", _set("line_items.1.price_data.currency", "eur"),
     "line_items[1][price_data][currency]", "same currency"),
    ("relative success_url", _set("success_url", "/thanks"), "success_url", "Not a valid URL"),
    ("success_url missing", _delete("success_url"), "success_url", "Missing required param"),
    ("ftp cancel_url", _set("cancel_url", "ftp://shop.test/"), "cancel_url", "Not a valid URL"),
    ("bad email", _set("customer_email", "ada"), "customer_email", "Invalid email address"),
    ("empty email", _set("customer_email", ""), "customer_email", "empty string"),
    ("long reference", _set("client_reference_id", "x" * 201),
     "client_reference_id", "at most 200 characters"),
    ("51 metadata keys", _set("metadata", {f"k{i}": "v" for i in range(51)}),
     "metadata", "up to 50 keys"),
    ("long metadata key", _set("metadata", {"k" * 41: "v"}), f"metadata[{'k' * 41}]", "40"),
    ("long metadata value", _set("metadata", {"order_id": "v" * 501}),
     "metadata[order_id]", "500"),
    ("expiry too soon", _expires_in(29 * 60), "expires_at", "at least 30 minutes"),
    ("expiry too late", _expires_in(24 * 3600 + 1), "expires_at", "less than 24 hours"),
    ("expiry not a number", _set("expires_at", "soon"), "expires_at", "Invalid integer"),
    ("two discounts", _set("discounts", [{"coupon": "A"}, {"coupon": "B"}]),
     "discounts", "one discount"),
    ("unknown coupon", _set("discounts", [{"coupon": "GHOST"}]),
     "discounts[0][coupon]", "No such coupon: 'GHOST'"),
    ("shipping without a name",
     _set("shipping_options", [{"shipping_rate_data": {"fixed_amount": {"amount": 1,
                                                                        "currency": "usd"}}}]),
     "shipping_options[0][shipping_rate_data][display_name]", "Missing required param"),
    ("shipping in another currency",
     _set("shipping_options", [{**SHIPPING, "shipping_rate_data": {
         **SHIPPING["shipping_rate_data"], "fixed_amount": {"amount": 5, "currency": "eur"}}}]),
     "shipping_options[0][shipping_rate_data][fixed_amount][currency]", "must match"),
    ("two shipping options", _set("shipping_options", [SHIPPING, SHIPPING]),
     "shipping_options", "more than one"),
    ("ideal payments", _set("payment_method_types", ["ideal"]),
     "payment_method_types[0]", "ideal"),
    ("unknown locale", _set("locale", "xx"), "locale", "must be one of"),
    ("unexpandable", _set("expand", ["customer"]), "expand", "cannot be expanded (customer)"),
    ("total under 50 cents", _set("line_items", [{"quantity": 1, "price_data": {
        "currency": "usd", "unit_amount": 49, "product_data": {"name": "Gum"}}}]),
     None, "The Checkout Session's total amount due must add up to at least $0.50 usd"),
    ("total over 8 digits", _set(f"{PRICE}.unit_amount", 60_000_000),
     "line_items", "no more than $999,999.99"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "param", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_invalid_session_params_are_rejected_naming_the_param(
    client: stripe.StripeClient,
    clock: FakeClock,
    session_params: Params,
    change: Callable[[Params, FakeClock], None],
    param: str | None,
    message: str,
) -> None:
    params = copy.deepcopy(session_params)
    change(params, clock)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.create(params)

    error = raised.value
    assert error.http_status == 400
    assert error.param == param
    assert message in str(error.user_message)
    assert error.error is not None
    assert error.error.type == "invalid_request_error"


def test_a_wrong_key_raises_authentication_error(running: RunningEmulator) -> None:
    with pytest.raises(stripe.AuthenticationError) as raised:
        running.client("pk_test_123").v1.coupons.retrieve("ANY")

    assert raised.value.http_status == 401
    assert "Invalid API Key provided: pk_test_" in str(raised.value.user_message)


def test_live_keys_are_refused(running: RunningEmulator) -> None:
    with pytest.raises(stripe.AuthenticationError, match="live mode keys"):
        running.client("sk_live_123").v1.coupons.retrieve("ANY")


def test_a_request_without_a_key_gets_stripes_401_body(running: RunningEmulator) -> None:
    response = http.get(f"{running.base_url}/v1/checkout/sessions")

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("You did not provide an API key.")


def test_a_configured_api_key_is_the_only_key_accepted(
    state_path: Path, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    running = start_emulator(state_path, clock, None, api_key="sk_test_only_this")
    try:
        with pytest.raises(stripe.AuthenticationError):
            running.client(API_KEY).v1.coupons.create({"percent_off": 5})
        coupon = running.client("sk_test_only_this").v1.coupons.create({"percent_off": 5})
    finally:
        running.stop(wait=False)

    assert coupon.percent_off == 5


def test_an_unknown_url_is_a_stripe_404(running: RunningEmulator) -> None:
    response = http.post(
        f"{running.base_url}/v1/customers", headers={"Authorization": f"Bearer {API_KEY}"}
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith(
        "Unrecognized request URL (POST: /v1/customers)."
    )


def test_percent_encoded_and_bracket_query_keys_both_work(
    client: stripe.StripeClient, running: RunningEmulator, session_params: Params
) -> None:
    session = client.v1.checkout.sessions.create(session_params)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    url = f"{running.base_url}/v1/checkout/sessions/{session.id}"

    encoded = http.get(f"{url}?expand%5B0%5D=line_items", headers=headers).json()
    appended = http.get(f"{url}?expand[]=line_items", headers=headers).json()

    assert encoded["line_items"]["object"] == "list"
    assert appended["line_items"] == encoded["line_items"]


def test_refund_and_coupon_params_are_validated(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError, match="payment_intent or charge"):
        client.v1.refunds.create({})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create({"payment_intent": "pi_missing"})
    assert (raised.value.param, raised.value.code) == ("payment_intent", "resource_missing")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.coupons.create({"percent_off": 150})
    assert raised.value.param == "percent_off"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.coupons.create({"amount_off": 500})
    assert raised.value.param == "currency"
