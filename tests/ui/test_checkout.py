"""Checkout page: the address form and its field errors, one order per checkout attempt
however often "Place order" arrives, paying on Stripe (the emulator) and cancelling."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from shopora.models import Order, OrderStatus, Product, User, VerifiedVia
from shopora.payments.fulfilment import fulfill_checkout
from shopora.services import cart
from shopora.ui.state import StateKeys

MUG = "ember-stoneware-mug"


@pytest.fixture
def customer(
    people: dict[str, User], products: dict[str, Product], db: Callable[[], Session]
) -> User:
    """The demo customer with two mugs in the cart."""
    customer = people["customer"]
    with db() as session:
        cart.add_item(
            session=session, user_id=customer.id or 0, product_id=products[MUG].id or 0, quantity=2
        )
    return customer


def fill(at: AppTest, **overrides: str) -> AppTest:
    values = {
        "line1": "1 Market Street",
        "city": "San Francisco",
        "postal_code": "94105",
        **overrides,
    }
    for name, value in values.items():
        at.text_input(key=f"checkout_{name}").input(value)
    return at


def place(at: AppTest) -> AppTest:
    return at.button(key="FormSubmitter:checkout_address-Place order").click().run()


def all_orders(db: Callable[[], Session]) -> list[Order]:
    with db() as session:
        return list(session.exec(select(Order)).all())


def test_an_empty_cart_has_nothing_to_check_out(
    page: Callable[..., AppTest], people: dict[str, User]
) -> None:
    at = page("checkout", as_user=people["customer"]).run()
    assert not at.exception
    assert any("Nothing to check out" in m.value for m in at.markdown)


def test_the_form_starts_with_the_customers_name_and_the_carts_totals(
    page: Callable[..., AppTest], customer: User
) -> None:
    at = page("checkout", as_user=customer).run()
    assert not at.exception
    assert at.text_input(key="checkout_name").value == "Casey Customer"
    assert "Ember Stoneware Mug × 2" in [m.value for m in at.markdown]
    assert "**$41.99**" in [m.value for m in at.markdown]


def test_a_missing_address_is_reported_next_to_its_field(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session]
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at, line1=""))
    assert not at.exception
    assert at.error[0].value == "**Address line 1**: Address is required."
    assert all_orders(db) == []


def test_a_bad_postal_code_is_reported_with_its_label(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session]
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at, postal_code="!"))
    assert at.error[0].value == "**Postal code**: Enter a valid postal code."
    assert all_orders(db) == []


def test_a_refused_code_blocks_nothing_but_is_explained(
    page: Callable[..., AppTest], customer: User
) -> None:
    at = page("checkout", as_user=customer)
    at.session_state[StateKeys.CART_CODE] = "EXPIRED"
    at.run()
    assert at.text_input(key="checkout_code").value == "EXPIRED"
    assert "EXPIRED expired on" in at.error[0].value


def test_placing_an_order_twice_creates_one_order(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session], stripe: str
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at))
    assert not at.exception
    first = at.session_state[StateKeys.CHECKOUT_ORDER_ID]
    key = at.session_state[StateKeys.CHECKOUT_KEY]
    # A second click that arrives before the first one's result: the form again, same attempt.
    del at.session_state[StateKeys.CHECKOUT_ORDER_ID]
    at.run()
    place(at)
    at.run()
    assert not at.exception
    assert at.session_state[StateKeys.CHECKOUT_ORDER_ID] == first
    assert at.session_state[StateKeys.CHECKOUT_KEY] == key
    orders = all_orders(db)
    assert [(order.id, order.status) for order in orders] == [(first, OrderStatus.PENDING)]


def test_a_placed_order_offers_stripe_and_the_test_card(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session], stripe: str
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at))
    (order,) = all_orders(db)
    assert f"Order **{order.number}** is placed" in at.success[0].value
    (link,) = at.get("link_button")
    assert link.proto.label == "Pay with Stripe"
    assert link.proto.url.startswith(f"{stripe}/stripe-emulator/pay/cs_")
    assert "4000 0566 5566 5556" in [code.value for code in at.code]
    assert any("Offline demo" in info.value for info in at.info)
    assert any("Waiting for payment" in info.value for info in at.info)


def test_paying_in_the_other_tab_turns_the_page_paid_and_starts_afresh(
    page: Callable[..., AppTest],
    customer: User,
    db: Callable[[], Session],
    stripe: str,
    pay: Callable[..., httpx.Response],
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at))
    (link,) = at.get("link_button")
    paid = pay(link.proto.url)
    assert paid.status_code == 303
    session_id = paid.headers["location"].split("session_id=")[1]
    with db() as session:  # what the return page (or the webhook) does in the other tab
        fulfill_checkout(session=session, stripe_session_id=session_id, via=VerifiedVia.WEBHOOK)
    at.run()
    assert not at.exception
    assert "Paid — verified with Stripe" in at.success[0].value
    assert StateKeys.CHECKOUT_ORDER_ID not in at.session_state
    assert StateKeys.CHECKOUT_KEY not in at.session_state
    assert [order.status for order in all_orders(db)] == [OrderStatus.PAID]


def test_cancelling_the_pending_order_releases_it_and_resets_the_checkout(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session], stripe: str
) -> None:
    at = page("checkout", as_user=customer).run()
    place(fill(at))
    at.button(key="checkout_cancel_confirm").click().run()
    assert not at.exception
    assert [order.status for order in all_orders(db)] == [OrderStatus.CANCELLED]
    assert StateKeys.CHECKOUT_ORDER_ID not in at.session_state
    assert StateKeys.CHECKOUT_KEY not in at.session_state
    assert "is cancelled" in at.toast[0].value


def test_the_state_is_stored_on_the_order_and_shown_us_style_on_the_receipt(
    page: Callable[..., AppTest], customer: User, db: Callable[[], Session], stripe: str
) -> None:
    # given a customer filling in a US address with its state
    at = page("checkout", as_user=customer).run()
    # when they place the order
    place(fill(at, city="Springfield", region="IL", postal_code="12345"))
    assert not at.exception
    (order,) = all_orders(db)
    assert order.shipping_region == "IL"
    # then its receipt writes the locality as a US address does
    receipt = page("my_orders", as_user=customer)
    receipt.query_params["order"] = str(order.id)
    receipt.run()
    assert any("Springfield, IL 12345" in m.value for m in receipt.markdown)
    # and the next checkout starts with the same state
    assert page("checkout", as_user=customer).run().text_input(key="checkout_region").value == (
        "IL"
    )
