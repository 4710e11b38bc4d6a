"""Placing orders: a cart becomes one pending order with its stock held, or nothing changes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from shopora.errors import (
    BelowMinimumCharge,
    EmptyCart,
    InvalidDiscountCode,
    NotFound,
    OutOfStock,
    ProductUnavailable,
    ValidationFailed,
)
from shopora.models import (
    CartItem,
    DiscountCode,
    DiscountKind,
    EventKind,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentStatus,
    Product,
    ReservationStatus,
    ShippingMethod,
    StockReservation,
    User,
)
from shopora.models.base import utcnow
from shopora.services import lifecycle
from shopora.services.actors import Actor
from shopora.services.orders import get_order, list_orders, order_items, place_order
from shopora.services.pricing import DiscountRule, Line, Totals, compute_totals
from shopora.services.shipping import ShippingAddress, shipping_rates
from tests.factories import make_product, make_user

ADDRESS = ShippingAddress(
    name="Ada Lovelace",
    line1="12 St James's Square",
    city="London",
    postal_code="SW1Y 4JH",
    country="GB",
)


@pytest.fixture
def customer(session: Session) -> User:
    return make_user(session)


def given_cart(session: Session, user: User, product: Product, quantity: int) -> CartItem:
    item = CartItem(user_id=user.id or 0, product_id=product.id or 0, quantity=quantity)
    session.add(item)
    session.commit()
    return item


def given_code(
    session: Session, code: str, kind: DiscountKind, value: int = 0, **extra: Any
) -> None:
    session.add(DiscountCode(code=code, kind=kind, value=value, **extra))
    session.commit()


def place(session: Session, user: User, **overrides: Any) -> Order:
    values: dict[str, Any] = {"shipping": ADDRESS}
    values.update(overrides)
    return place_order(session=session, user_id=user.id or 0, **values)


def fresh(session: Session, product: Product) -> Product:
    found = session.get(Product, product.id, populate_existing=True)
    assert found is not None
    return found


def totals_of(order: Order) -> Totals:
    return Totals(
        order.subtotal_cents, order.discount_cents, order.shipping_cents, order.total_cents
    )


def count(session: Session, model: type[Any]) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def cancel(session: Session, order: Order) -> None:
    lifecycle.cancel_pending(session, order, Actor.system(), reason="changed my mind")
    session.commit()


# --- a placed order ----------------------------------------------------------------------


def test_placing_turns_the_cart_into_a_pending_order_with_item_snapshots(
    session: Session, customer: User
) -> None:
    # given
    kettle = make_product(session, name="Kettle", sku="KET-1", price_cents=2500)
    mug = make_product(session, name="Mug", sku="MUG-1", price_cents=900)
    given_cart(session, customer, kettle, 2)
    given_cart(session, customer, mug, 1)

    # when
    order = place(session, customer)

    # then
    assert re.fullmatch(r"SO-1\d{4}", order.number)
    assert order.status == OrderStatus.PENDING
    assert order.payment_status == PaymentStatus.UNPAID
    assert order.email == customer.email
    assert [
        (i.sku, i.name, i.unit_price_cents, i.quantity, i.line_total_cents)
        for i in order_items(session=session, order_id=order.id or 0)
    ] == [
        ("KET-1", "Kettle", 2500, 2, 5000),
        ("MUG-1", "Mug", 900, 1, 900),
    ]


def test_the_order_totals_are_the_pricing_totals(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, price_cents=2500)
    given_cart(session, customer, kettle, 2)

    # when
    order = place(session, customer, method=ShippingMethod.EXPRESS)

    # then
    expected = compute_totals(
        [Line(2500, 2)], method=ShippingMethod.EXPRESS, rates=shipping_rates()
    )
    assert totals_of(order) == expected
    assert order.shipping_method == ShippingMethod.EXPRESS


def test_the_address_is_stored_tidied(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 1)
    messy = replace(ADDRESS, name="  Ada   Lovelace ", country="gb", line2="  Flat 2 ")

    order = place(session, customer, shipping=messy)

    assert (order.shipping_name, order.shipping_country, order.shipping_line2) == (
        "Ada Lovelace",
        "GB",
        "Flat 2",
    )
    assert (order.shipping_line1, order.shipping_city, order.shipping_postal_code) == (
        "12 St James's Square",
        "London",
        "SW1Y 4JH",
    )


def test_the_state_or_region_is_stored_with_the_address(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 1)
    springfield = replace(ADDRESS, city="Springfield", region="  IL ", postal_code="12345")

    order = place(session, customer, shipping=springfield)

    assert get_order(session=session, order_id=order.id or 0).shipping_region == "IL"


def test_an_address_without_a_region_stores_an_empty_one(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 1)

    order = place(session, customer)

    assert order.shipping_region == ""


def test_placing_writes_a_placed_event_by_the_customer(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 1)

    order = place(session, customer)

    (event,) = lifecycle.events(session=session, order_id=order.id or 0)
    assert (event.kind, event.from_status, event.to_status) == (EventKind.PLACED, None, "pending")
    assert (event.actor, event.actor_user_id) == (customer.username, customer.id)


def test_placing_holds_the_stock_without_taking_it(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    given_cart(session, customer, kettle, 3)

    # when
    order = place(session, customer)

    # then
    assert (fresh(session, kettle).reserved, fresh(session, kettle).stock_on_hand) == (3, 10)
    hold = session.exec(select(StockReservation).where(StockReservation.order_id == order.id)).one()
    assert (hold.product_id, hold.quantity, hold.status) == (kettle.id, 3, ReservationStatus.HELD)


def test_placing_does_not_clear_the_cart(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 2)

    place(session, customer)

    items = session.exec(select(CartItem).where(CartItem.user_id == customer.id)).all()
    assert [item.quantity for item in items] == [2]


# --- placing twice -----------------------------------------------------------------------


def test_the_same_idempotency_key_returns_the_same_order(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    given_cart(session, customer, kettle, 1)
    first = place(session, customer, idempotency_key="checkout-attempt-1")

    # when the cart changed meanwhile, but the request is a retry
    given_cart(session, customer, make_product(session), 1)
    again = place(session, customer, idempotency_key="checkout-attempt-1")

    # then
    assert again.id == first.id
    assert count(session, Order) == 1
    assert fresh(session, kettle).reserved == 1


def test_placing_the_same_cart_twice_returns_the_pending_order(
    session: Session, customer: User
) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    given_cart(session, customer, kettle, 2)
    first = place(session, customer)

    # when
    again = place(session, customer)

    # then
    assert again.id == first.id
    assert count(session, Order) == 1
    assert fresh(session, kettle).reserved == 2


def test_a_changed_cart_makes_a_new_order(session: Session, customer: User) -> None:
    kettle = make_product(session, stock_on_hand=10)
    item = given_cart(session, customer, kettle, 2)
    first = place(session, customer)
    item.quantity = 3
    session.add(item)
    session.commit()

    again = place(session, customer)

    assert again.id != first.id


def test_after_the_pending_order_is_cancelled_the_same_cart_makes_a_new_order(
    session: Session, customer: User
) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    given_cart(session, customer, kettle, 2)
    first = place(session, customer)
    cancel(session, first)

    # when
    second = place(session, customer)

    # then
    assert second.id != first.id
    assert second.status == OrderStatus.PENDING
    assert fresh(session, kettle).reserved == 2


@pytest.mark.parametrize("key", ["short", "k" * 101, ""])
def test_an_idempotency_key_of_the_wrong_length_is_refused(
    session: Session, customer: User, key: str
) -> None:
    given_cart(session, customer, make_product(session), 1)

    with pytest.raises(ValidationFailed) as refused:
        place(session, customer, idempotency_key=key)

    assert refused.value.field == "idempotency_key"


# --- refusals ----------------------------------------------------------------------------


def assert_nothing_placed(session: Session, *products: Product) -> None:
    assert count(session, Order) == 0
    assert count(session, StockReservation) == 0
    assert count(session, OrderEvent) == 0
    for product in products:
        assert fresh(session, product).reserved == 0


def test_an_empty_cart_cannot_be_placed(session: Session, customer: User) -> None:
    with pytest.raises(EmptyCart):
        place(session, customer)

    assert_nothing_placed(session)


def test_a_cart_with_a_product_no_longer_sold_cannot_be_placed(
    session: Session, customer: User
) -> None:
    # given
    kettle = make_product(session)
    retired = make_product(session, name="Retired lamp", active=False)
    given_cart(session, customer, kettle, 1)
    given_cart(session, customer, retired, 1)

    # when
    with pytest.raises(ProductUnavailable, match="Retired lamp"):
        place(session, customer)

    # then
    assert_nothing_placed(session, kettle, retired)


def test_a_cart_asking_for_more_than_is_available_changes_nothing(
    session: Session, customer: User
) -> None:
    # given the second line is short
    kettle = make_product(session, stock_on_hand=10)
    mug = make_product(session, stock_on_hand=1)
    given_cart(session, customer, kettle, 2)
    given_cart(session, customer, mug, 2)

    # when
    with pytest.raises(OutOfStock):
        place(session, customer)

    # then
    assert_nothing_placed(session, kettle, mug)
    assert fresh(session, kettle).stock_on_hand == 10


def test_stock_held_by_someone_elses_order_is_not_available(
    session: Session, customer: User
) -> None:
    lamp = make_product(session, stock_on_hand=1)
    someone = make_user(session)
    given_cart(session, someone, lamp, 1)
    place(session, someone)
    given_cart(session, customer, lamp, 1)

    with pytest.raises(OutOfStock):
        place(session, customer)


def test_an_unknown_customer_cannot_place_an_order(session: Session) -> None:
    with pytest.raises(NotFound):
        place_order(session=session, user_id=999_999, shipping=ADDRESS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * 121),
        ("line1", ""),
        ("line1", "x" * 201),
        ("line2", "x" * 201),
        ("city", " "),
        ("city", "x" * 101),
        ("region", "x" * 101),
        ("postal_code", ""),
        ("postal_code", "1"),
        ("postal_code", "-12345"),
        ("postal_code", "12345678901"),
        ("postal_code", "123#45"),
        ("country", ""),
        ("country", "XX"),
        ("country", "United States"),
    ],
)
def test_an_invalid_address_field_is_refused_by_name(field: str, value: str) -> None:
    # Pure validation: no database needed for each case.
    with pytest.raises(ValidationFailed) as refused:
        replace(ADDRESS, **{field: value}).cleaned()

    assert refused.value.field == field


def test_an_order_with_an_invalid_address_is_not_placed(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session)
    given_cart(session, customer, kettle, 1)

    # when
    with pytest.raises(ValidationFailed) as refused:
        place(session, customer, shipping=replace(ADDRESS, postal_code="?"))

    # then
    assert refused.value.field == "postal_code"
    assert_nothing_placed(session, kettle)


def test_an_order_under_fifty_cents_is_refused(session: Session, customer: User) -> None:
    # given 40 cents of goods with free shipping
    sticker = make_product(session, price_cents=40)
    given_cart(session, customer, sticker, 1)
    given_code(session, "FREESHIP", DiscountKind.FREE_SHIPPING)

    # when
    with pytest.raises(BelowMinimumCharge):
        place(session, customer, discount_code="FREESHIP")

    # then
    assert_nothing_placed(session, sticker)


# --- discount codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [(DiscountKind.PERCENT, 10), (DiscountKind.FIXED, 1500), (DiscountKind.FREE_SHIPPING, 0)],
)
def test_a_discount_code_is_applied_to_the_totals(
    session: Session, customer: User, kind: DiscountKind, value: int
) -> None:
    # given
    given_cart(session, customer, make_product(session, price_cents=1995), 2)
    given_code(session, "PROMO", kind, value)

    # when
    order = place(session, customer, discount_code="  promo ")

    # then
    expected = compute_totals(
        [Line(1995, 2)],
        method=ShippingMethod.STANDARD,
        rates=shipping_rates(),
        discount=DiscountRule(kind, value),
    )
    assert order.discount_code == "PROMO"
    assert totals_of(order) == expected
    assert order.discount_cents == {"percent": 399, "fixed": 1500, "free_shipping": 0}[kind]
    if kind == DiscountKind.FREE_SHIPPING:
        assert order.shipping_cents == 0


@pytest.mark.parametrize(
    ("code", "extra", "reason"),
    [
        ("NOPE", {}, "unknown"),
        ("OFF", {"active": False}, "inactive"),
        ("LATER", {"starts_at": utcnow() + timedelta(days=3)}, "not_started"),
        ("OLD", {"ends_at": utcnow() - timedelta(days=3)}, "expired"),
        ("BIG", {"min_subtotal_cents": 100_000}, "below_minimum"),
        ("GONE", {"max_redemptions": 1, "redemption_count": 1}, "used_up"),
    ],
)
def test_a_refused_discount_code_places_no_order(
    session: Session, customer: User, code: str, extra: dict[str, Any], reason: str
) -> None:
    # given
    kettle = make_product(session)
    given_cart(session, customer, kettle, 1)
    if code != "NOPE":
        given_code(session, code, DiscountKind.PERCENT, 10, **extra)

    # when
    with pytest.raises(InvalidDiscountCode) as refused:
        place(session, customer, discount_code=code)

    # then
    assert refused.value.reason == reason
    assert_nothing_placed(session, kettle)


def test_a_once_per_customer_code_on_another_pending_order_is_refused(
    session: Session, customer: User
) -> None:
    # given a pending order already holds the code
    kettle = make_product(session, stock_on_hand=10)
    given_code(session, "ONCE", DiscountKind.PERCENT, 10, once_per_customer=True)
    given_cart(session, customer, kettle, 1)
    place(session, customer, discount_code="ONCE")
    given_cart(session, customer, make_product(session), 1)

    # when the changed cart is placed with it again
    with pytest.raises(InvalidDiscountCode) as refused:
        place(session, customer, discount_code="once")

    # then
    assert refused.value.reason == "already_used"
    assert count(session, Order) == 1


def test_a_once_per_customer_code_is_free_again_once_its_pending_order_is_cancelled(
    session: Session, customer: User
) -> None:
    given_code(session, "ONCE", DiscountKind.PERCENT, 10, once_per_customer=True)
    given_cart(session, customer, make_product(session), 1)
    first = place(session, customer, discount_code="ONCE")
    cancel(session, first)
    given_cart(session, customer, make_product(session), 1)

    second = place(session, customer, discount_code="ONCE")

    assert second.discount_code == "ONCE"


def test_a_once_per_customer_code_on_someone_elses_pending_order_still_applies(
    session: Session, customer: User
) -> None:
    given_code(session, "ONCE", DiscountKind.PERCENT, 10, once_per_customer=True)
    someone = make_user(session)
    product = make_product(session)
    given_cart(session, someone, product, 1)
    place(session, someone, discount_code="ONCE")
    given_cart(session, customer, product, 1)

    assert place(session, customer, discount_code="ONCE").discount_code == "ONCE"


# --- reading orders back -----------------------------------------------------------------


def test_a_customer_gets_their_own_order(session: Session, customer: User) -> None:
    given_cart(session, customer, make_product(session), 1)
    order = place(session, customer)

    assert get_order(session=session, order_id=order.id or 0, user_id=customer.id).id == order.id
    assert get_order(session=session, order_id=order.id or 0).id == order.id  # operator view


def test_another_customers_order_is_not_found(session: Session, customer: User) -> None:
    # given
    given_cart(session, customer, make_product(session), 1)
    order = place(session, customer)
    stranger = make_user(session)

    # then
    with pytest.raises(NotFound):
        get_order(session=session, order_id=order.id or 0, user_id=stranger.id)


def test_an_unknown_order_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        get_order(session=session, order_id=999_999)


def test_a_customers_orders_are_listed_newest_first(session: Session, customer: User) -> None:
    # given three orders of this customer and one of somebody else
    product = make_product(session, stock_on_hand=50)
    item = given_cart(session, customer, product, 1)
    placed = [place(session, customer).id]
    for quantity in (2, 3):
        item.quantity = quantity  # a changed cart makes a new order
        session.add(item)
        session.commit()
        placed.append(place(session, customer).id)
    someone = make_user(session)
    given_cart(session, someone, product, 1)
    place(session, someone)

    # when
    listed = list_orders(session=session, user_id=customer.id or 0)

    # then
    assert [order.id for order in listed] == list(reversed(placed))
