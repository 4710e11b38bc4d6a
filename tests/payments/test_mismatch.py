"""A paid session that does not match its order is refused: clear error, order unchanged,
one payment_mismatch event saying what differed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from shopora.errors import NotFound, PaymentMismatch
from shopora.models import EventKind, Order, OrderEvent, OrderStatus, PaymentStatus, User
from shopora.services import orders

from .conftest import Shop
from .harness import pay


def pending(shop: Shop) -> tuple[User, Order]:
    user = shop.customer()
    shop.set_cart(user, shop.product(price_cents=3000), 1)
    return user, shop.place(user)


def tamper(shop: Shop, order: Order, **values: Any) -> None:
    with shop.session() as session:
        row = session.get(Order, order.id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()


def mismatches(shop: Shop, order: Order) -> list[dict[str, Any]]:
    with shop.session() as session:
        statement = select(OrderEvent).where(
            OrderEvent.order_id == order.id, OrderEvent.kind == EventKind.PAYMENT_MISMATCH
        )
        return [event.data for event in session.exec(statement).all()]


def assert_unchanged(shop: Shop, order: Order) -> None:
    now = shop.order(order.id)
    assert (now.status, now.payment_status) == (OrderStatus.PENDING, PaymentStatus.UNPAID)
    assert now.paid_at is None


def test_a_payment_for_a_different_amount_is_refused(shop: Shop) -> None:
    # given a paid session, and an order whose total changed after the session was made
    _user, order = pending(shop)
    started = shop.start(order)
    pay(started.url)
    tamper(shop, order, subtotal_cents=3100, total_cents=order.total_cents + 100)

    # when the payment is confirmed (twice: the return page, then reconciliation)
    for _ in range(2):
        with pytest.raises(PaymentMismatch, match="not marked paid"):
            shop.fulfil(started.session_id)

    # then the order stays unpaid, with one event saying what differed
    assert_unchanged(shop, order)
    assert mismatches(shop, order) == [
        {
            "session_id": started.session_id,
            "reason": "amount",
            "expected": order.total_cents + 100,
            "got": order.total_cents,
        }
    ]


def test_a_payment_in_another_currency_is_refused(shop: Shop) -> None:
    _user, order = pending(shop)
    started = shop.start(order)
    pay(started.url)
    tamper(shop, order, currency="eur")

    with pytest.raises(PaymentMismatch, match="usd"):
        shop.fulfil(started.session_id)

    assert_unchanged(shop, order)
    (data,) = mismatches(shop, order)
    assert (data["reason"], data["expected"], data["got"]) == ("currency", "eur", "usd")


def test_another_orders_session_does_not_pay_this_order(shop: Shop) -> None:
    # given two orders, the first one paid
    _user, first = pending(shop)
    _user2, second = pending(shop)
    started = shop.start(first)
    pay(started.url)

    # when a page expecting the second order is given the first order's session
    with pytest.raises(PaymentMismatch, match="another order"):
        shop.fulfil(started.session_id, order_id=second.id)

    # then neither order changed, and the attempt is on the session's order's timeline
    assert_unchanged(shop, first)
    assert_unchanged(shop, second)
    (data,) = mismatches(shop, first)
    assert (data["reason"], data["expected_order_id"]) == ("another_order", second.id)


def test_a_paid_session_that_is_not_the_orders_current_one_is_refused(shop: Shop) -> None:
    # given an order, and a second session made for it outside Shopora's checkout
    _user, order = pending(shop)
    current = shop.start(order)
    with shop.session() as session:
        items = orders.order_items(session=session, order_id=order.id or 0)
    stray = shop.gateway.create_checkout_session(order, items, attempt=99, namespace="test")
    pay(stray.url or "")

    with pytest.raises(PaymentMismatch, match="not the payment session"):
        shop.fulfil(stray.id)

    assert_unchanged(shop, order)
    (data,) = mismatches(shop, order)
    assert data == {
        "session_id": stray.id,
        "reason": "not_current_session",
        "current": current.session_id,
    }


def test_another_customers_session_is_not_found_for_them(shop: Shop) -> None:
    # given Ada's paid session
    ada, order = pending(shop)
    started = shop.start(order)
    pay(started.url)
    mallory = shop.customer()

    # when Mallory opens the return page with it
    with pytest.raises(NotFound):
        shop.fulfil(started.session_id, acting_user_id=mallory.id)

    # then Ada's order is untouched and the attempt is recorded
    assert_unchanged(shop, order)
    (data,) = mismatches(shop, order)
    assert (data["reason"], data["acting_user_id"]) == ("another_customer", mallory.id)
    # and Ada's own return page still settles it
    assert shop.fulfil(started.session_id, acting_user_id=ada.id).status == OrderStatus.PAID


def test_an_unknown_session_is_not_found(shop: Shop) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        shop.fulfil("cs_test_doesnotexist")
