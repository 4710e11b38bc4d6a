"""My orders page: the list, one order's timeline and proof of payment, paying or cancelling
a pending order, and nobody else's orders."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from shopora.models import Order, OrderStatus, User, VerifiedVia
from shopora.payments.checkout import CheckoutStart
from shopora.payments.fulfilment import fulfill_checkout
from shopora.payments.gateway import get_gateway
from shopora.services import lifecycle
from shopora.services.actors import Actor
from tests.ui.conftest import text


def detail(page: Callable[..., AppTest], user: User, order_id: int) -> AppTest:
    at = page("my_orders", as_user=user)
    at.query_params["order"] = str(order_id)
    return at.run()


def status_of(db: Callable[[], Session], order_id: int) -> str:
    with db() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.status


def test_no_orders_yet_points_to_the_shop(
    page: Callable[..., AppTest], people: dict[str, User]
) -> None:
    at = page("my_orders", as_user=people["customer"]).run()
    assert not at.exception
    assert any("No orders yet" in m.value for m in at.markdown)


def test_the_list_shows_number_status_payment_and_total(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
) -> None:
    started = checkout_for(people["customer"])
    at = page("my_orders", as_user=people["customer"]).run()
    assert not at.exception
    shown = text(at)
    assert f"**{started.number}**" in shown
    assert ":orange-badge[Pending] :orange-badge[Unpaid]" in shown
    assert "**$41.99**" in shown
    at.button(key=f"order_open_{started.order_id}").click().run()
    assert at.query_params["order"] == str(started.order_id)
    assert at.title[0].value == f"Order {started.number}"


def test_the_list_says_what_each_order_holds(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
) -> None:
    checkout_for(people["customer"])  # two mugs
    at = page("my_orders", as_user=people["customer"]).run()
    assert "2 × Ember Stoneware Mug" in [caption.value for caption in at.caption]


def test_a_pending_order_can_be_paid_from_its_page(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
) -> None:
    started = checkout_for(people["customer"])
    at = detail(page, people["customer"], started.order_id)
    assert not at.exception
    (link,) = at.get("link_button")
    assert (link.proto.label, link.proto.url) == ("Pay now", started.url)
    assert "4000 0566 5566 5556" in [code.value for code in at.code]
    assert "Order placed" in text(at) and "Payment started on Stripe" in text(at)


def test_a_payment_page_stripe_ended_early_is_replaced_when_the_customer_asks(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
) -> None:
    # given an order whose Stripe session ended before the expiry stored on the order
    started = checkout_for(people["customer"])
    get_gateway().expire_session(started.session_id)
    # when the page is drawn, it shows the stored link (drawing never asks Stripe) ...
    at = detail(page, people["customer"], started.order_id)
    (link,) = at.get("link_button")
    assert link.proto.url == started.url
    # ... and when the customer asks for a new payment page
    at.button(key=f"pay_renew_{started.order_id}").click().run()
    # then the link leads to a new session on the same Stripe
    (link,) = at.get("link_button")
    assert link.proto.url.startswith(started.url.split("/pay/")[0])
    assert link.proto.url != started.url


def test_a_pending_order_is_cancelled_after_confirming(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    db: Callable[[], Session],
) -> None:
    started = checkout_for(people["customer"])
    at = detail(page, people["customer"], started.order_id)
    at.button(key="orders_cancel_confirm").click().run()
    assert not at.exception
    assert status_of(db, started.order_id) == OrderStatus.CANCELLED
    assert "is cancelled" in at.toast[0].value
    assert "Order cancelled" in text(at)


def test_a_shipped_order_tells_its_story_with_the_tracking_number_and_payment_proof(
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    started = checkout_for(people["customer"])
    pay(started.url)
    operator = Actor("operator", people["operator"].id)
    with db() as session:
        fulfill_checkout(
            session=session, stripe_session_id=started.session_id, via=VerifiedVia.WEBHOOK
        )
        lifecycle.start_processing(session=session, order_id=started.order_id, actor=operator)
        lifecycle.ship(
            session=session,
            order_id=started.order_id,
            actor=operator,
            carrier="UPS",
            tracking_number="1Z999AA10123456784",
        )
    at = detail(page, people["customer"], started.order_id)
    assert not at.exception
    story = text(at)
    for sentence in ("Paid $41.99 — verified with Stripe", "We started preparing your order",
                     "Shipped with UPS", "Tracking number **1Z999AA10123456784**"):  # fmt: skip
        assert sentence in story
    assert started.session_id in at.success[0].value
    assert at.get("link_button") == []


def test_someone_elses_order_is_not_found(
    page: Callable[..., AppTest],
    customers: tuple[User, User],
    checkout_for: Callable[[User], CheckoutStart],
) -> None:
    customer, other = customers
    started = checkout_for(customer)
    at = detail(page, other, started.order_id)
    assert not at.exception
    assert at.error[0].value == "We couldn't find that order."
