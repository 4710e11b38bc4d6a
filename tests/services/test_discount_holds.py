"""Discount holds: an unpaid order holds one use of a limited code, so a code with N uses left
is on at most N live orders, in total and per customer, however the orders arrive."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from shopora.errors import InvalidDiscountCode
from shopora.models import (
    CartItem,
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    DiscountReservation,
    Order,
    Product,
    ReservationStatus,
    User,
)
from shopora.services import discounts, lifecycle
from shopora.services.actors import Actor
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.factories import make_product, make_user
from tests.together import at_once

ADDRESS = ShippingAddress(
    name="Ada Lovelace", line1="1 Main St", city="Springfield", postal_code="12345", country="US"
)


def limited(session: Session, uses: int = 3, *, once: bool = True) -> DiscountCode:
    code = DiscountCode(
        code="LIMITED",
        kind=DiscountKind.PERCENT,
        value=20,
        max_redemptions=uses,
        once_per_customer=once,
    )
    session.add(code)
    session.commit()
    return code


def shopper(session: Session, product: Product, n: int) -> User:
    user = make_user(session, username=f"shopper{n}", email=f"shopper{n}@example.com")
    session.add(CartItem(user_id=user.id or 0, product_id=product.id or 0, quantity=1))
    session.commit()
    return user


def place(session: Session, user: User, **extra: Any) -> Order:
    return place_order(
        session=session, user_id=user.id or 0, shipping=ADDRESS, discount_code="LIMITED", **extra
    )


def code_now(session: Session) -> DiscountCode:
    return session.exec(
        select(DiscountCode)
        .where(DiscountCode.code == "LIMITED")
        .execution_options(populate_existing=True)
    ).one()


def hold_of(session: Session, order: Order) -> DiscountReservation:
    return session.exec(
        select(DiscountReservation)
        .where(DiscountReservation.order_id == order.id)
        .execution_options(populate_existing=True)
    ).one()


def pay(session: Session, order: Order) -> None:
    """What fulfilment does with the code when the order is paid."""
    assert discounts.redeem(session, order) is None
    session.commit()


def cancel(session: Session, order: Order) -> None:
    lifecycle.cancel_pending(session, order, Actor.system(), reason="changed my mind")
    session.commit()


@pytest.fixture
def product(session: Session) -> Product:
    return make_product(session, stock_on_hand=100)


def test_ten_customers_one_after_another_get_only_the_three_uses_there_are(
    session: Session, product: Product
) -> None:
    # given LIMITED with 3 uses and ten customers with a cart
    limited(session)
    users = [shopper(session, product, n) for n in range(10)]

    # when each places an order with it in turn
    placed, refused = [], []
    for user in users:
        try:
            placed.append(place(session, user))
        except InvalidDiscountCode as exc:
            refused.append(exc.reason)

    # then three orders hold a use and seven were told it is used up
    assert len(placed) == 3 and refused == ["used_up"] * 7
    code = code_now(session)
    assert (code.reserved_count, code.redemption_count) == (3, 0)


def test_ten_customers_at_once_get_only_the_three_uses_there_are(
    engine: Engine, session: Session, product: Product
) -> None:
    # given LIMITED with 3 uses and ten customers with a cart
    limited(session)
    users = [shopper(session, product, n) for n in range(10)]

    # when all ten place their order at the same moment
    outcomes = at_once(engine, [lambda s, u=user: place(s, u) for user in users])

    # then exactly three orders were placed, each holding one use
    assert len(outcomes.results) == 3
    assert all(isinstance(e, InvalidDiscountCode) for e in outcomes.errors)
    assert code_now(session).reserved_count == 3
    holds = session.exec(select(DiscountReservation)).all()
    assert sorted(h.order_id for h in holds) == sorted(o.id or 0 for o in outcomes.results)


def test_paying_turns_the_hold_into_the_redemption(session: Session, product: Product) -> None:
    # given an order holding a use of LIMITED
    limited(session)
    order = place(session, shopper(session, product, 1))

    # when it is paid
    pay(session, order)

    # then the use is redeemed, no longer held, and the order has its redemption
    code = code_now(session)
    assert (code.reserved_count, code.redemption_count) == (0, 1)
    assert hold_of(session, order).status == ReservationStatus.COMMITTED
    assert session.exec(
        select(DiscountRedemption).where(DiscountRedemption.order_id == order.id)
    ).one()


def test_cancelling_gives_the_use_back_to_the_next_customer(
    session: Session, product: Product
) -> None:
    # given LIMITED with one use, held by a first customer's order
    limited(session, uses=1)
    first = place(session, shopper(session, product, 1))
    second = shopper(session, product, 2)
    with pytest.raises(InvalidDiscountCode):
        place(session, second)

    # when the first order is cancelled
    cancel(session, first)

    # then the use is free again and the second customer can hold it
    assert hold_of(session, first).status == ReservationStatus.RELEASED
    assert code_now(session).reserved_count == 0
    place(session, second)
    assert code_now(session).reserved_count == 1


def test_one_customer_cannot_hold_a_once_per_customer_code_on_two_orders(
    session: Session, product: Product
) -> None:
    # given a customer whose pending order holds LIMITED
    limited(session)
    user = shopper(session, product, 1)
    place(session, user)

    # when they change the cart and place a second order with the code
    session.add(
        CartItem(user_id=user.id or 0, product_id=make_product(session).id or 0, quantity=1)
    )
    session.commit()
    with pytest.raises(InvalidDiscountCode) as refused:
        place(session, user)

    # then it is refused, and only one use is held
    assert refused.value.reason == "already_used"
    assert code_now(session).reserved_count == 1


def test_a_customer_who_redeemed_the_code_cannot_hold_it_again(
    session: Session, product: Product
) -> None:
    # given a customer who paid an order with LIMITED
    limited(session)
    user = shopper(session, product, 1)
    pay(session, place(session, user))

    # when they try again with a changed cart
    session.add(
        CartItem(user_id=user.id or 0, product_id=make_product(session).id or 0, quantity=2)
    )
    session.commit()
    with pytest.raises(InvalidDiscountCode) as refused:
        place(session, user)

    # then it is refused as already used
    assert refused.value.reason == "already_used"


def test_an_order_without_a_hold_has_no_use_to_redeem(session: Session, product: Product) -> None:
    # given an unpaid order naming LIMITED that holds no use (placed before holds existed)
    limited(session)
    order = place(session, shopper(session, product, 1))
    cancel(session, order)

    # then it may not be paid with the code, and redeeming it counts nothing
    assert not discounts.holds_use(session, order)
    assert discounts.redeem(session, order) == "discount code LIMITED was not held for this order"
    assert code_now(session).redemption_count == 0


def test_the_preview_counts_held_uses_as_taken(session: Session, product: Product) -> None:
    # given LIMITED with two uses, both held by unpaid orders
    limited(session, uses=2)
    place(session, shopper(session, product, 1))
    place(session, shopper(session, product, 2))

    # then a third customer's preview says it is used up
    with pytest.raises(InvalidDiscountCode) as refused:
        discounts.check_code(session, "LIMITED", user_id=None, subtotal_cents=5000)
    assert refused.value.reason == "used_up"
