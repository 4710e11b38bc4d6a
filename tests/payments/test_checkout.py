"""Starting, reusing, abandoning and cancelling a checkout."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import select

from shopora.errors import IllegalTransition, NotFound, PaymentNotCompleted
from shopora.models import EventKind, Order, OrderEvent, OrderStatus, PaymentStatus, Product, User
from shopora.payments import checkout
from shopora.services.actors import Actor

from .conftest import Shop
from .harness import pay, submit_card

DECLINES = ["4000000000000002", "4000000000009995", "4000000000000069", "4000000000000127"]


def pending_order(shop: Shop, quantity: int = 3) -> tuple[User, Product, Order]:
    user = shop.customer()
    product = shop.product(price_cents=2000)
    shop.set_cart(user, product, quantity)
    return user, product, shop.place(user)


def events_of(shop: Shop, order: Order, kind: EventKind) -> list[OrderEvent]:
    with shop.session() as session:
        statement = select(OrderEvent).where(
            OrderEvent.order_id == order.id, OrderEvent.kind == kind
        )
        return list(session.exec(statement).all())


@pytest.mark.parametrize("card", DECLINES)
def test_a_declined_card_leaves_the_order_pending_and_its_stock_held(shop: Shop, card: str) -> None:
    # given a pending order on Stripe's page
    _user, product, order = pending_order(shop)
    started = shop.start(order)

    # when the card is declined
    response = submit_card(started.url, card)

    # then Stripe says so, and the order is neither paid nor released
    assert response.status_code == 402
    with pytest.raises(PaymentNotCompleted):
        shop.fulfil(started.session_id)
    assert shop.order(order.id).status == OrderStatus.PENDING
    assert shop.product_row(product.id).reserved == 3
    # and the customer can still pay with a good card
    pay(started.url)
    assert shop.fulfil(started.session_id).status == OrderStatus.PAID


def test_starting_checkout_twice_reuses_the_open_session(shop: Shop) -> None:
    # given a checkout already started
    _user, _product, order = pending_order(shop)
    first = shop.start(order)

    # when the customer clicks "Pay" again (or in a second tab)
    second = shop.start(order)

    # then it is the same session, opened once
    assert second == first
    assert shop.order(order.id).checkout_attempt == 1
    assert len(events_of(shop, order, EventKind.PAYMENT_STARTED)) == 1


def test_concurrent_starts_open_a_single_session(shop: Shop) -> None:
    # given a pending order without a session
    _user, _product, order = pending_order(shop)

    # when five requests start its checkout at the same moment
    with ThreadPoolExecutor(5) as pool:
        starts = list(pool.map(lambda _: shop.start(order), range(5)))

    # then they all got the same session: only one can ever be paid
    assert len({start.session_id for start in starts}) == 1
    assert shop.order(order.id).checkout_attempt == 1
    assert len(events_of(shop, order, EventKind.PAYMENT_STARTED)) == 1


def test_cancelling_an_order_expires_its_session_and_releases_the_stock(shop: Shop) -> None:
    # given a pending order whose payment page is open
    user, product, order = pending_order(shop)
    started = shop.start(order)

    # when the customer cancels it
    with shop.session() as session:
        cancelled = checkout.cancel_order(
            session=session,
            order_id=order.id or 0,
            actor=Actor(user.username, user.id),
            user_id=user.id,
            reason="Changed my mind",
            gateway=shop.gateway,
        )

    # then the order is cancelled, its stock free again, and the page can no longer be paid
    assert cancelled.status == OrderStatus.CANCELLED
    assert shop.product_row(product.id).reserved == 0
    assert shop.gateway.retrieve_session(started.session_id).status == "expired"
    assert submit_card(started.url, "4242424242424242").status_code == 200  # "expired" page


def test_cancelling_an_order_that_was_just_paid_fulfils_it_instead(shop: Shop) -> None:
    # given an order paid at Stripe whose confirmation has not arrived yet
    user, product, order = pending_order(shop)
    pay(shop.start(order).url)

    # when the customer tries to cancel it
    with shop.session() as session, pytest.raises(IllegalTransition, match="already paid"):
        checkout.cancel_order(
            session=session,
            order_id=order.id or 0,
            actor=Actor.system(),
            reason="too late",
            gateway=shop.gateway,
        )

    # then the payment wins: the order is paid and the goods sold
    assert shop.order(order.id).status == OrderStatus.PAID
    assert shop.product_row(product.id).stock_on_hand == 7


def test_starting_checkout_for_an_order_paid_meanwhile_settles_it(shop: Shop) -> None:
    # given a paid session whose return page was never loaded
    _user, _product, order = pending_order(shop)
    pay(shop.start(order).url)

    # when checkout is started again
    with pytest.raises(IllegalTransition, match="already paid"):
        shop.start(order)

    # then no second session was opened and the order is paid
    paid = shop.order(order.id)
    assert (paid.status, paid.checkout_attempt) == (OrderStatus.PAID, 1)


def test_checkout_refuses_someone_elses_order_and_orders_that_are_not_pending(
    shop: Shop,
) -> None:
    _user, _product, order = pending_order(shop)
    stranger = shop.customer()
    with shop.session() as session, pytest.raises(NotFound):
        checkout.start_checkout(
            session=session, order_id=order.id or 0, user_id=stranger.id, gateway=shop.gateway
        )
    paid = shop.paid_order()
    with pytest.raises(IllegalTransition):
        shop.start(paid)


def test_after_expiry_a_new_attempt_opens_a_new_session_and_the_old_expiry_changes_nothing(
    shop: Shop,
) -> None:
    # given a session that expired unpaid (Stripe's clock moved past expires_at)
    _user, product, order = pending_order(shop)
    old = shop.start(order)
    shop.stripe.clock.advance(32 * 60)
    shop.stripe.emulator.run_due_work()
    (expired_event,) = shop.stripe.events("checkout.session.expired")

    # when the customer comes back and starts again before the expiry webhook arrives
    new = shop.start(order)

    # then a new session is opened for attempt 2
    assert new.session_id != old.session_id
    assert shop.order(order.id).checkout_attempt == 2
    # and the late webhook of the old session cancels nothing
    outcome = shop.webhook(expired_event)
    assert "not its current session" in outcome
    assert shop.order(order.id).status == OrderStatus.PENDING
    assert shop.product_row(product.id).reserved == 3
    # and the new session pays the order
    pay(new.url)
    paid = shop.fulfil(new.session_id)
    assert (paid.status, paid.payment_status) == (OrderStatus.PAID, PaymentStatus.PAID)


def test_an_expired_session_cancels_its_order_and_releases_the_hold(shop: Shop) -> None:
    # given a checkout the customer walked away from
    _user, product, order = pending_order(shop)
    started = shop.start(order)

    # when Stripe expires the session and tells us
    shop.stripe.clock.advance(32 * 60)
    shop.stripe.emulator.run_due_work()
    (event,) = shop.stripe.events("checkout.session.expired")
    assert event["data"]["object"]["id"] == started.session_id
    shop.webhook(event)

    # then the order is cancelled by Stripe's expiry and its stock is free
    cancelled = shop.order(order.id)
    assert cancelled.status == OrderStatus.CANCELLED
    assert shop.product_row(product.id).reserved == 0
    (event_row,) = events_of(shop, order, EventKind.CANCELLED)
    assert event_row.actor == "stripe"
    assert httpx.get(started.url).status_code == 200  # the page now says it has expired
