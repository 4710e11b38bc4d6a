"""Checkout Sessions, line items and coupons through the official SDK."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from .harness import FakeClock, RunningEmulator

pytestmark = pytest.mark.timeout(30)


def test_a_new_session_is_open_unpaid_and_shaped_like_stripe(
    client: stripe.StripeClient,
    running: RunningEmulator,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    session = client.v1.checkout.sessions.create(session_params)

    assert isinstance(session, stripe.checkout.Session)
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_subtotal, session.amount_total, session.currency) == (
        3999, 3999, "usd",
    )  # fmt: skip
    assert session.total_details is not None
    assert session.total_details.to_dict() == {
        "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0,
    }  # fmt: skip
    assert session.url == f"{running.base_url}/pay/{session.id}"
    assert session.expires_at == int(clock.now) + 24 * 3600
    assert session.created == int(clock.now)
    assert session.customer_email == "ada@example.com"
    assert session.client_reference_id == "42"
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"order_id": "42"}
    assert session.payment_intent is None
    assert session.customer_details is None
    assert session.shipping_cost is None
    assert session.livemode is False
    assert session.mode == "payment"
    assert session.payment_method_types == ["card"]
    assert session.discounts == []
    assert "line_items" not in session


def test_line_items_come_expanded_or_listed_with_price_objects(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    created = client.v1.checkout.sessions.create(session_params)

    session = client.v1.checkout.sessions.retrieve(created.id, {"expand": ["line_items"]})
    listed = client.v1.checkout.sessions.line_items.list(created.id)

    assert session.line_items is not None
    assert isinstance(session.line_items, stripe.ListObject)
    assert session.line_items.url == f"/v1/checkout/sessions/{created.id}/line_items"
    assert [item.id for item in session.line_items.data] == [item.id for item in listed.data]
    first = listed.data[0]
    assert isinstance(first, stripe.LineItem)
    assert first.id.startswith("li_")
    assert (first.object, first.description, first.quantity) == ("item", "Mechanical keyboard", 2)
    assert (first.amount_subtotal, first.amount_total, first.amount_discount) == (3000, 3000, 0)
    assert (first.amount_tax, first.currency) == (0, "usd")
    assert first.price is not None
    assert isinstance(first.price, stripe.Price)
    assert first.price.id.startswith("price_")
    assert first.price.unit_amount == 1500
    assert str(first.price.product).startswith("prod_")


def test_line_items_paginate_in_the_order_they_were_sent(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)

    first = client.v1.checkout.sessions.line_items.list(session.id, {"limit": 1})
    rest = client.v1.checkout.sessions.line_items.list(
        session.id, {"limit": 1, "starting_after": first.data[0].id}
    )

    assert first.has_more is True
    assert [i.description for i in first.data + rest.data] == ["Mechanical keyboard", "Desk mat"]
    assert rest.has_more is False


def test_coupon_and_shipping_make_up_the_total(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    coupon = client.v1.coupons.create({"amount_off": 500, "currency": "usd", "name": "SPRING"})
    params = {
        **session_params,
        "discounts": [{"coupon": coupon.id}],
        "shipping_options": [
            {
                "shipping_rate_data": {
                    "type": "fixed_amount",
                    "fixed_amount": {"amount": 700, "currency": "usd"},
                    "display_name": "Standard",
                }
            }
        ],
    }

    session = client.v1.checkout.sessions.create({**params, "expand": ["line_items"]})

    assert session.amount_subtotal == 3999
    assert session.amount_total == 3999 - 500 + 700
    assert session.total_details is not None
    assert session.total_details.amount_discount == 500
    assert session.total_details.amount_shipping == 700
    assert session.shipping_cost is not None
    assert session.shipping_cost.amount_total == 700
    assert str(session.shipping_cost.shipping_rate).startswith("shr_")
    assert session.discounts is not None
    assert session.discounts[0].coupon == coupon.id
    assert session.line_items is not None
    assert sum(item.amount_discount for item in session.line_items.data) == 500


def test_an_amount_off_coupon_never_discounts_below_zero(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    coupon = client.v1.coupons.create({"amount_off": 100_000, "currency": "usd"})
    params = {**session_params, "discounts": [{"coupon": coupon.id}]}
    params["shipping_options"] = [
        {"shipping_rate_data": {"fixed_amount": {"amount": 700, "currency": "usd"},
                                "display_name": "Standard"}}
    ]  # fmt: skip

    session = client.v1.checkout.sessions.create(params)

    assert session.total_details is not None
    assert session.total_details.amount_discount == 3999
    assert session.amount_total == 700


def test_a_percent_off_coupon_rounds_half_up_to_the_cent(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    coupon = client.v1.coupons.create({"percent_off": 10, "duration": "once"})
    params = {**session_params, "discounts": [{"coupon": coupon.id}]}
    params["line_items"] = [
        {"price_data": {"currency": "usd", "unit_amount": 1005,
                        "product_data": {"name": "Lamp"}}, "quantity": 1}
    ]  # fmt: skip

    session = client.v1.checkout.sessions.create(params)

    assert session.total_details is not None
    assert session.total_details.amount_discount == 101  # 100.5 rounds up
    assert session.amount_total == 904


def test_sessions_list_newest_first_with_filters_and_cursor(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    ids = [client.v1.checkout.sessions.create(session_params).id for _ in range(3)]
    client.v1.checkout.sessions.expire(ids[0])

    page = client.v1.checkout.sessions.list({"limit": 2})
    rest = client.v1.checkout.sessions.list({"limit": 2, "starting_after": page.data[-1].id})
    expired = client.v1.checkout.sessions.list({"status": "expired"})

    assert [s.id for s in page.data] == [ids[2], ids[1]]
    assert page.has_more is True
    assert page.url == "/v1/checkout/sessions"
    assert [s.id for s in rest.data] == [ids[0]]
    assert rest.has_more is False
    assert [s.id for s in expired.data] == [ids[0]]
    assert [s.id for s in client.v1.checkout.sessions.list().auto_paging_iter()] == ids[::-1]


def test_coupons_are_created_and_retrieved(client: stripe.StripeClient) -> None:
    created = client.v1.coupons.create(
        {"id": "WELCOME10", "percent_off": 10, "duration": "once", "name": "Welcome",
         "max_redemptions": 5, "metadata": {"source": "seed"}}
    )  # fmt: skip
    generated = client.v1.coupons.create({"amount_off": 250, "currency": "USD"})

    retrieved = client.v1.coupons.retrieve("WELCOME10")

    assert isinstance(retrieved, stripe.Coupon)
    assert retrieved.to_dict() == created.to_dict()
    assert (retrieved.percent_off, retrieved.amount_off, retrieved.valid) == (10.0, None, True)
    assert (retrieved.max_redemptions, retrieved.times_redeemed) == (5, 0)
    assert (generated.amount_off, generated.currency) == (250, "usd")
    assert len(generated.id) == 8


def test_a_coupon_id_cannot_be_reused(client: stripe.StripeClient) -> None:
    client.v1.coupons.create({"id": "ONCE", "percent_off": 5})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.coupons.create({"id": "ONCE", "percent_off": 5})

    assert raised.value.code == "resource_already_exists"
    assert raised.value.param == "id"


@pytest.mark.parametrize(
    ("fetch", "kind"),
    [
        (lambda c: c.v1.checkout.sessions.retrieve("cs_test_nope"), "checkout.session"),
        (lambda c: c.v1.coupons.retrieve("NOPE"), "coupon"),
        (lambda c: c.v1.payment_intents.retrieve("pi_nope"), "payment_intent"),
        (lambda c: c.v1.charges.retrieve("ch_nope"), "charge"),
        (lambda c: c.v1.refunds.retrieve("re_nope"), "refund"),
        (lambda c: c.v1.events.retrieve("evt_nope"), "event"),
    ],
)
def test_unknown_ids_are_404_resource_missing(
    client: stripe.StripeClient, fetch: Any, kind: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fetch(client)

    assert raised.value.http_status == 404
    assert raised.value.code == "resource_missing"
    assert str(raised.value.user_message).startswith(f"No such {kind}: ")


def test_a_session_list_expands_line_items_and_refuses_unknown_expansions(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    client.v1.checkout.sessions.create(session_params)

    listed = client.v1.checkout.sessions.list({"expand": ["data.line_items"]})

    line_items = listed.data[0].line_items
    assert line_items is not None
    assert [item.description for item in line_items.data] == ["Mechanical keyboard", "Desk mat"]
    with pytest.raises(stripe.InvalidRequestError, match=r"cannot be expanded \(data.customer\)"):
        client.v1.events.list({"expand": ["data.customer"]})
