"""Payment return page: Stripe sends the customer back here; the payment is verified with
Stripe (the emulator) before anything changes, and only for the customer it belongs to."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from shopora.models import Order, OrderStatus, PaymentStatus, User
from shopora.payments.checkout import CheckoutStart
from shopora.ui.state import StateKeys
from tests.ui.conftest import text

NOT_YOURS = "We couldn't find that payment for your account."


def returning(page: Callable[..., AppTest], user: User | None, **params: str) -> AppTest:
    at = page("payment_return", as_user=user)
    at.query_params.update(params)
    return at.run()


def order_of(db: Callable[[], Session], started: CheckoutStart) -> Order:
    with db() as session:
        order = session.get(Order, started.order_id)
        assert order is not None
        return order


def test_a_paid_session_is_verified_and_shows_the_receipt(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    customer = people["customer"]
    started = checkout_for(customer)
    assert pay(started.url).status_code == 303
    at = returning(page, customer, session_id=started.session_id)
    assert not at.exception
    order = order_of(db, started)
    assert (order.status, order.verified_via) == (OrderStatus.PAID, "return_page")
    assert at.get("status")[0].proto.label == "Payment verified with Stripe"
    proof = at.success[0].value
    assert "Verified with Stripe" in proof and started.session_id in proof
    assert order.payment_intent_id and order.payment_intent_id in proof
    assert f"Order {order.number}" in text(at)


def test_coming_back_again_shows_the_same_receipt_and_changes_nothing(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    customer = people["customer"]
    started = checkout_for(customer)
    pay(started.url)
    returning(page, customer, session_id=started.session_id)
    paid_at = order_of(db, started).paid_at
    at = returning(page, customer, session_id=started.session_id)
    assert "Verified with Stripe" in at.success[0].value
    assert order_of(db, started).paid_at == paid_at


def test_an_unpaid_session_is_not_marked_paid_and_can_be_resumed(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    db: Callable[[], Session],
) -> None:
    customer = people["customer"]
    started = checkout_for(customer)
    at = returning(page, customer, session_id=started.session_id)
    assert not at.exception
    assert "Stripe hasn't confirmed this payment yet" in at.warning[0].value
    assert at.get("link_button")[0].proto.url == started.url
    assert order_of(db, started).status == OrderStatus.PENDING


def test_another_customers_session_is_not_found_and_nothing_changes(
    page: Callable[..., AppTest],
    customers: tuple[User, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    customer, other = customers
    started = checkout_for(customer)
    pay(started.url)
    at = returning(page, other, session_id=started.session_id)
    assert not at.exception
    assert at.error[0].value == NOT_YOURS
    order = order_of(db, started)
    assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.UNPAID)


def test_a_bogus_session_id_is_not_found(
    page: Callable[..., AppTest], people: dict[str, User], stripe: str
) -> None:
    customer = people["customer"]
    for bogus in ("cs_test_doesnotexist", "not-a-session"):
        at = returning(page, customer, session_id=bogus)
        assert not at.exception
        assert at.error[0].value == NOT_YOURS
        (status,) = at.get("status")
        assert status.proto.state != "complete" and not status.children  # said outside it


def test_signed_out_the_session_is_kept_until_the_customer_signs_in(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    customer = people["customer"]
    started = checkout_for(customer)
    pay(started.url)
    at = returning(page, None, session_id=started.session_id)
    assert not at.exception
    assert "sign in" in at.error[0].value.lower()
    assert at.session_state[StateKeys.RETURN_SESSION_ID] == started.session_id
    assert at.session_state[StateKeys.AFTER_SIGN_IN] == "payment_return"
    assert order_of(db, started).status == OrderStatus.PENDING
    # Signed in, the account page sends them back here without the query string.
    signed_in = page("payment_return", as_user=customer)
    signed_in.session_state[StateKeys.RETURN_SESSION_ID] = started.session_id
    signed_in.run()
    assert "Verified with Stripe" in signed_in.success[0].value
    assert signed_in.query_params["session_id"] == started.session_id
    assert order_of(db, started).status == OrderStatus.PAID


def test_coming_back_without_paying_keeps_the_order_pending_with_a_way_to_resume(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    db: Callable[[], Session],
) -> None:
    customer = people["customer"]
    started = checkout_for(customer)
    at = returning(page, customer, cancelled="1", order_id=str(started.order_id))
    assert not at.exception
    assert "still waiting for payment" in at.info[0].value
    assert at.get("link_button")[0].proto.label == "Resume payment"
    at.button(key="return_cancel_confirm").click().run()
    assert order_of(db, started).status == OrderStatus.CANCELLED


def test_staff_are_turned_away(page: Callable[..., AppTest], people: dict[str, User]) -> None:
    at = returning(page, people["operator"], session_id="cs_test_x")
    assert "This page is for customers" in at.error[0].value
