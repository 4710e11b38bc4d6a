"""Carts: every rule for adding, changing, merging and viewing, against a real database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from shopora.errors import NotFound, OutOfStock, ProductUnavailable, ValidationFailed
from shopora.models import Product, User
from shopora.models.base import pk
from shopora.services import cart
from shopora.services.cart import (
    CartLine,
    CartView,
    add_item,
    clear_cart,
    get_cart,
    merge_cart,
    remove_item,
    set_quantity,
    validate_anonymous_add,
    view_items,
)
from tests.factories import make_product, make_user
from tests.together import at_once


@pytest.fixture
def shopper(session: Session) -> User:
    return make_user(session)


@pytest.fixture
def headphones(session: Session) -> Product:
    return make_product(session, name="Aurora Headphones", price_cents=12_900, stock_on_hand=3)


def quantities(view: CartView) -> dict[int, int]:
    return {line.product_id: line.quantity for line in view.lines}


def saved_cart(session: Session, user: User) -> dict[int, int]:
    """What the database holds for the user, ignoring anything uncommitted."""
    session.rollback()
    return quantities(get_cart(session=session, user_id=pk(user)))


def add(session: Session, user: User, product: Product, quantity: int = 1) -> CartView:
    return add_item(session=session, user_id=pk(user), product_id=pk(product), quantity=quantity)


def set_to(session: Session, user: User, product: Product, quantity: int) -> CartView:
    return set_quantity(
        session=session, user_id=pk(user), product_id=pk(product), quantity=quantity
    )


def line(**overrides: Any) -> CartLine:
    values: dict[str, Any] = {
        "product_id": 1,
        "sku": "SKU-1",
        "name": "Mug",
        "slug": "mug",
        "image": None,
        "unit_price_cents": 500,
        "quantity": 2,
        "available": 10,
        "active": True,
        "line_total_cents": 1000,
    }
    values.update(overrides)
    return CartLine(**values)


# --- the view ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({}, None),
        ({"quantity": 10, "available": 10}, None),
        ({"active": False}, "no longer available"),
        ({"active": False, "available": 0}, "no longer available"),
        ({"available": 0}, "sold out"),
        ({"quantity": 4, "available": 3}, "only 3 left"),
    ],
)
def test_a_line_names_its_problem(overrides: dict[str, Any], problem: str | None) -> None:
    assert line(**overrides).problem == problem


def test_a_view_totals_its_lines() -> None:
    # given
    view = CartView(lines=[line(), line(product_id=2, quantity=3, line_total_cents=3000)])

    # then
    assert (view.subtotal_cents, view.item_count) == (4000, 5)
    assert not view.is_empty
    assert not view.has_problems


def test_an_empty_view_is_empty_and_has_no_problems() -> None:
    view = CartView(lines=[])
    assert view.is_empty and not view.has_problems
    assert (view.subtotal_cents, view.item_count) == (0, 0)


def test_one_problem_line_marks_the_view() -> None:
    assert CartView(lines=[line(), line(product_id=2, available=0)]).has_problems


# --- adding ------------------------------------------------------------------------------


def test_adding_a_product_puts_a_line_in_the_cart(
    session: Session, shopper: User, headphones: Product
) -> None:
    # when
    view = add(session, shopper, headphones, 2)

    # then
    (only,) = view.lines
    assert (only.name, only.sku, only.slug) == (
        "Aurora Headphones",
        headphones.sku,
        headphones.slug,
    )
    assert (only.unit_price_cents, only.quantity, only.line_total_cents) == (12_900, 2, 25_800)
    assert (only.available, only.active, only.problem) == (3, True, None)
    assert saved_cart(session, shopper) == {pk(headphones): 2}


def test_adding_a_product_already_in_the_cart_adds_to_its_quantity(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    view = add(session, shopper, headphones, 2)

    # then
    assert quantities(view) == {pk(headphones): 3}
    assert saved_cart(session, shopper) == {pk(headphones): 3}


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_adding_a_quantity_outside_1_to_99_is_refused(
    session: Session, shopper: User, headphones: Product, quantity: int
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add(session, shopper, headphones, quantity)
    assert refused.value.field == "quantity"
    assert saved_cart(session, shopper) == {}


def test_adding_beyond_99_in_one_line_is_refused(session: Session, shopper: User) -> None:
    # given
    plenty = make_product(session, stock_on_hand=500)
    add(session, shopper, plenty, 98)

    # when
    with pytest.raises(ValidationFailed) as refused:
        add(session, shopper, plenty, 2)

    # then
    assert refused.value.field == "quantity"
    assert saved_cart(session, shopper) == {pk(plenty): 98}


def test_adding_exactly_99_is_accepted(session: Session, shopper: User) -> None:
    plenty = make_product(session, stock_on_hand=500)
    assert quantities(add(session, shopper, plenty, 99)) == {pk(plenty): 99}


def test_adding_an_unknown_product_is_not_found(session: Session, shopper: User) -> None:
    with pytest.raises(NotFound):
        add_item(session=session, user_id=pk(shopper), product_id=999_999)


def test_adding_for_an_unknown_user_is_not_found(session: Session, headphones: Product) -> None:
    with pytest.raises(NotFound):
        add_item(session=session, user_id=999_999, product_id=pk(headphones))


def test_adding_an_inactive_product_is_refused(session: Session, shopper: User) -> None:
    # given
    retired = make_product(session, active=False)

    # when / then
    with pytest.raises(ProductUnavailable):
        add(session, shopper, retired)
    assert saved_cart(session, shopper) == {}


def test_adding_more_than_available_stock_is_refused(
    session: Session, shopper: User, headphones: Product
) -> None:
    with pytest.raises(OutOfStock) as refused:
        add(session, shopper, headphones, 4)
    assert refused.value.message == "Only 3 of Aurora Headphones left."
    assert saved_cart(session, shopper) == {}


def test_adding_on_top_of_the_cart_counts_what_it_already_holds(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones, 2)

    # when
    with pytest.raises(OutOfStock) as refused:
        add(session, shopper, headphones, 2)

    # then
    assert refused.value.message.startswith("Only 3 of Aurora Headphones left.")
    assert "already has 2" in refused.value.message
    assert saved_cart(session, shopper) == {pk(headphones): 2}


def test_adding_all_the_available_stock_is_accepted(
    session: Session, shopper: User, headphones: Product
) -> None:
    assert quantities(add(session, shopper, headphones, 3)) == {pk(headphones): 3}


def test_stock_held_for_pending_orders_is_not_available(session: Session, shopper: User) -> None:
    # given
    held = make_product(session, name="Held Lamp", stock_on_hand=5, reserved=4)

    # when / then
    with pytest.raises(OutOfStock, match="Only 1 of Held Lamp left"):
        add(session, shopper, held, 2)


@pytest.mark.parametrize("stock", [{"stock_on_hand": 0}, {"stock_on_hand": 2, "reserved": 2}])
def test_adding_a_sold_out_product_is_refused(
    session: Session, shopper: User, stock: dict[str, int]
) -> None:
    # given
    sold_out = make_product(session, name="Rare Vinyl", **stock)

    # when / then
    with pytest.raises(OutOfStock, match="Rare Vinyl is sold out"):
        add(session, shopper, sold_out)


def test_two_requests_adding_the_same_product_at_once_both_count(
    engine: Engine, session: Session, shopper: User, headphones: Product
) -> None:
    # given
    user_id, product_id = pk(shopper), pk(headphones)

    def add_one(own: Session) -> CartView:
        return add_item(session=own, user_id=user_id, product_id=product_id)

    # when
    outcomes = at_once(engine, [add_one, add_one])

    # then
    assert outcomes.errors == []
    assert saved_cart(session, shopper) == {pk(headphones): 2}


# --- setting a quantity ------------------------------------------------------------------


def test_setting_a_quantity_replaces_the_lines_quantity(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones, 1)

    # when / then
    assert quantities(set_to(session, shopper, headphones, 3)) == {pk(headphones): 3}
    assert quantities(set_to(session, shopper, headphones, 2)) == {pk(headphones): 2}
    assert saved_cart(session, shopper) == {pk(headphones): 2}


def test_setting_a_quantity_of_a_product_not_in_the_cart_adds_it(
    session: Session, shopper: User, headphones: Product
) -> None:
    assert quantities(set_to(session, shopper, headphones, 2)) == {pk(headphones): 2}


def test_setting_a_quantity_of_zero_removes_the_line(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    view = set_to(session, shopper, headphones, 0)

    # then
    assert view.is_empty
    assert saved_cart(session, shopper) == {}


def test_setting_zero_removes_even_a_product_no_longer_sold(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)
    headphones.active = False
    session.add(headphones)
    session.commit()

    # when / then
    assert set_to(session, shopper, headphones, 0).is_empty


@pytest.mark.parametrize("quantity", [-1, 100])
def test_setting_a_quantity_outside_0_to_99_is_refused(
    session: Session, shopper: User, headphones: Product, quantity: int
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    with pytest.raises(ValidationFailed) as refused:
        set_to(session, shopper, headphones, quantity)

    # then
    assert refused.value.field == "quantity"
    assert saved_cart(session, shopper) == {pk(headphones): 1}


def test_setting_more_than_available_stock_is_refused(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    with pytest.raises(OutOfStock, match="Only 3 of Aurora Headphones left"):
        set_to(session, shopper, headphones, 4)

    # then
    assert saved_cart(session, shopper) == {pk(headphones): 1}


def test_setting_a_quantity_of_an_inactive_or_unknown_product_is_refused(
    session: Session, shopper: User
) -> None:
    # given
    retired = make_product(session, active=False)

    # when / then
    with pytest.raises(ProductUnavailable):
        set_to(session, shopper, retired, 1)
    with pytest.raises(NotFound):
        set_quantity(session=session, user_id=pk(shopper), product_id=999_999, quantity=1)


def test_two_requests_setting_the_same_new_line_at_once_do_not_collide(
    engine: Engine, session: Session, shopper: User, headphones: Product
) -> None:
    # given
    user_id, product_id = pk(shopper), pk(headphones)

    def set_to_(quantity: int) -> Callable[[Session], CartView]:
        return lambda own: set_quantity(
            session=own, user_id=user_id, product_id=product_id, quantity=quantity
        )

    # when
    outcomes = at_once(engine, [set_to_(1), set_to_(2)])

    # then: one of them won, and neither tripped over the other's new line
    assert outcomes.errors == []
    assert saved_cart(session, shopper)[pk(headphones)] in (1, 2)


# --- removing and clearing -----------------------------------------------------------------


def test_removing_a_product_leaves_the_other_lines(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    mug = make_product(session)
    add(session, shopper, headphones)
    add(session, shopper, mug)

    # when
    view = remove_item(session=session, user_id=pk(shopper), product_id=pk(headphones))

    # then
    assert quantities(view) == {pk(mug): 1}
    assert saved_cart(session, shopper) == {pk(mug): 1}


def test_removing_a_product_not_in_the_cart_changes_nothing(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    view = remove_item(session=session, user_id=pk(shopper), product_id=999_999)

    # then
    assert quantities(view) == {pk(headphones): 1}


def test_clearing_empties_only_that_users_cart(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    other = make_user(session)
    add(session, shopper, headphones)
    add(session, other, headphones)

    # when
    clear_cart(session=session, user_id=pk(shopper))

    # then
    assert saved_cart(session, shopper) == {}
    assert saved_cart(session, other) == {pk(headphones): 1}


# --- reading the cart ----------------------------------------------------------------------


def test_the_cart_lists_lines_oldest_first_with_totals(session: Session, shopper: User) -> None:
    # given
    first = make_product(session, name="First", price_cents=1000)
    second = make_product(session, name="Second", price_cents=250)
    add(session, shopper, first, 2)
    add(session, shopper, second, 3)
    add(session, shopper, first, 1)

    # when
    view = get_cart(session=session, user_id=pk(shopper))

    # then
    assert [line.name for line in view.lines] == ["First", "Second"]
    assert (view.subtotal_cents, view.item_count) == (3750, 6)


def test_a_cart_shows_lines_that_went_bad_after_they_were_added(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    retired = make_product(session, name="Retired")
    add(session, shopper, headphones, 3)
    add(session, shopper, retired)
    retired.active = False
    headphones.reserved = 2
    session.add_all([retired, headphones])
    session.commit()

    # when
    view = get_cart(session=session, user_id=pk(shopper))

    # then
    assert [line.problem for line in view.lines] == ["only 1 left", "no longer available"]
    assert view.has_problems


def test_someone_elses_cart_is_not_yours(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, make_user(session), headphones)

    # when / then
    assert get_cart(session=session, user_id=pk(shopper)).is_empty


# --- anonymous carts -----------------------------------------------------------------------


def test_an_anonymous_cart_is_viewed_in_its_own_order_without_unknown_products(
    session: Session, headphones: Product
) -> None:
    # given
    mug = make_product(session, name="Mug", price_cents=800)

    # when
    view = view_items(session=session, items={pk(mug): 2, 999_999: 1, pk(headphones): 1})

    # then
    assert [(line.name, line.quantity) for line in view.lines] == [
        ("Mug", 2),
        ("Aurora Headphones", 1),
    ]
    assert view.subtotal_cents == 2 * 800 + 12_900


def test_an_anonymous_cart_shows_problems_and_drops_empty_lines(
    session: Session, headphones: Product
) -> None:
    # when
    view = view_items(session=session, items={pk(headphones): 5, 123: 0})

    # then
    assert [line.problem for line in view.lines] == ["only 3 left"]
    assert view_items(session=session, items={}).is_empty


def test_an_anonymous_add_returns_the_new_cart_and_writes_nothing(
    session: Session, headphones: Product
) -> None:
    # given
    mug = make_product(session)
    items = {pk(mug): 1, pk(headphones): 1}

    # when
    updated = validate_anonymous_add(
        session=session, items=items, product_id=pk(headphones), quantity=2
    )

    # then
    assert updated == {pk(mug): 1, pk(headphones): 3}
    assert items == {pk(mug): 1, pk(headphones): 1}
    assert not session.new and not session.dirty


@pytest.mark.parametrize(
    ("in_cart", "quantity", "error"),
    [
        (0, 0, ValidationFailed),
        (0, 100, ValidationFailed),
        (2, 2, OutOfStock),
        (0, 4, OutOfStock),
    ],
)
def test_an_anonymous_add_follows_the_signed_in_rules(
    session: Session, headphones: Product, in_cart: int, quantity: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        validate_anonymous_add(
            session=session,
            items={pk(headphones): in_cart} if in_cart else {},
            product_id=pk(headphones),
            quantity=quantity,
        )


def test_an_anonymous_add_refuses_what_cannot_be_bought(session: Session) -> None:
    # given
    retired = make_product(session, active=False)
    sold_out = make_product(session, stock_on_hand=0)
    plenty = make_product(session, stock_on_hand=500)

    # when / then
    with pytest.raises(ProductUnavailable):
        validate_anonymous_add(session=session, items={}, product_id=pk(retired), quantity=1)
    with pytest.raises(OutOfStock, match="sold out"):
        validate_anonymous_add(session=session, items={}, product_id=pk(sold_out), quantity=1)
    with pytest.raises(NotFound):
        validate_anonymous_add(session=session, items={}, product_id=999_999, quantity=1)
    with pytest.raises(ValidationFailed):
        validate_anonymous_add(
            session=session, items={pk(plenty): 90}, product_id=pk(plenty), quantity=10
        )


# --- merging at sign-in --------------------------------------------------------------------


def test_merging_adds_anonymous_quantities_to_the_users_cart(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    mug = make_product(session)
    add(session, shopper, headphones, 1)

    # when
    view, notes = merge_cart(
        session=session, user_id=pk(shopper), items={pk(headphones): 1, pk(mug): 2}
    )

    # then
    assert quantities(view) == {pk(headphones): 2, pk(mug): 2}
    assert notes == []
    assert saved_cart(session, shopper) == {pk(headphones): 2, pk(mug): 2}


def test_merging_clamps_a_line_to_the_available_stock_and_says_so(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones, 2)

    # when
    view, notes = merge_cart(session=session, user_id=pk(shopper), items={pk(headphones): 2})

    # then
    assert quantities(view) == {pk(headphones): 3}
    assert notes == ["Only 3 of Aurora Headphones left, so your cart has 3."]


def test_merging_clamps_a_line_to_99_and_says_so(session: Session, shopper: User) -> None:
    # given
    plenty = make_product(session, name="Sticker", stock_on_hand=500)
    add(session, shopper, plenty, 60)

    # when
    view, notes = merge_cart(session=session, user_id=pk(shopper), items={pk(plenty): 60})

    # then
    assert quantities(view) == {pk(plenty): 99}
    assert notes == ["A cart can hold at most 99 of Sticker, so your cart has 99."]


def test_merging_skips_what_cannot_be_bought_and_says_so(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    retired = make_product(session, name="Retired", active=False)
    sold_out = make_product(session, name="Rare Vinyl", stock_on_hand=0)
    items = {pk(retired): 1, pk(sold_out): 1, 999_999: 1, pk(headphones): 1}

    # when
    view, notes = merge_cart(session=session, user_id=pk(shopper), items=items)

    # then
    assert quantities(view) == {pk(headphones): 1}
    assert sorted(notes) == [
        "An item in your cart is no longer sold, so it was left out.",
        "Rare Vinyl is sold out, so it was left out.",
        "Retired is no longer available, so it was left out.",
    ]


def test_merging_an_empty_anonymous_cart_changes_nothing(
    session: Session, shopper: User, headphones: Product
) -> None:
    # given
    add(session, shopper, headphones)

    # when
    view, notes = merge_cart(session=session, user_id=pk(shopper), items={pk(headphones): 0})

    # then
    assert (quantities(view), notes) == ({pk(headphones): 1}, [])


def test_a_merge_that_fails_part_way_saves_nothing(
    session: Session, shopper: User, headphones: Product, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the second line blows up after the first was merged
    mug = make_product(session)
    merge_one = cart._merge_line
    calls: list[int] = []

    def fail_second(*args: Any) -> str | None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return merge_one(*args)

    monkeypatch.setattr(cart, "_merge_line", fail_second)

    # when
    with pytest.raises(RuntimeError):
        merge_cart(session=session, user_id=pk(shopper), items={pk(headphones): 1, pk(mug): 1})

    # then
    assert saved_cart(session, shopper) == {}
