"""A guest's stored cart: saved, reloaded, dropped when abandoned, folded in at sign-in
exactly once, against a real database."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from shopora.models import GuestCart, Product, User
from shopora.models.base import pk, utcnow
from shopora.services import guest_carts
from shopora.services.cart import get_cart, merge_guest_cart
from tests.factories import make_product, make_user
from tests.together import at_once


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
def kettle(session: Session) -> Product:
    return make_product(session, name="Ashwood Kettle", stock_on_hand=5)


def stored_rows(session: Session) -> list[GuestCart]:
    session.rollback()
    return list(session.exec(select(GuestCart)).all())


def test_a_saved_guest_cart_loads_back_in_the_order_it_was_filled(
    session: Session, token: str
) -> None:
    # given
    guest_carts.save(session=session, token=token, items={7: 1, 3: 2, 5: 4})

    # when
    session.rollback()
    items = guest_carts.load(session=session, token=token)

    # then
    assert list(items.items()) == [(7, 1), (3, 2), (5, 4)]


def test_saving_again_replaces_the_cart_and_an_empty_cart_removes_the_row(
    session: Session, token: str
) -> None:
    guest_carts.save(session=session, token=token, items={1: 1})
    guest_carts.save(session=session, token=token, items={2: 3, 1: 0})
    assert guest_carts.load(session=session, token=token) == {2: 3}

    guest_carts.save(session=session, token=token, items={})
    assert stored_rows(session) == []


def test_guests_do_not_see_each_others_carts(session: Session, token: str) -> None:
    guest_carts.save(session=session, token=token, items={1: 1})
    assert guest_carts.load(session=session, token=secrets.token_urlsafe(32)) == {}


def test_an_abandoned_cart_is_empty_and_is_dropped_by_the_next_save(
    session: Session, token: str
) -> None:
    # given: a cart last touched 31 days ago
    long_ago = utcnow() - timedelta(days=guest_carts.GUEST_CART_DAYS + 1)
    guest_carts.save(session=session, token=token, items={1: 1}, now=long_ago)

    # then: it reads as empty, and anyone's next save deletes it
    assert guest_carts.load(session=session, token=token) == {}
    other = secrets.token_urlsafe(32)
    guest_carts.save(session=session, token=other, items={2: 1})
    assert [row.token for row in stored_rows(session)] == [other]


@pytest.mark.parametrize(
    "value",
    [None, "", "short", "x" * 65, "not a token with spaces and more than 32 chars", 42],
)
def test_only_our_own_kind_of_id_is_taken_as_a_guest_id(value: object) -> None:
    assert not guest_carts.is_token(value)


def test_a_real_guest_id_is_accepted(token: str) -> None:
    assert guest_carts.is_token(token)


def test_signing_in_folds_the_guest_cart_into_the_customers_and_deletes_it(
    session: Session, token: str, kettle: Product
) -> None:
    # given
    shopper = make_user(session)
    guest_carts.save(session=session, token=token, items={pk(kettle): 2})

    # when
    view, notes = merge_guest_cart(session=session, user_id=pk(shopper), token=token)

    # then
    assert [(line.product_id, line.quantity) for line in view.lines] == [(pk(kettle), 2)]
    assert notes == []
    assert stored_rows(session) == []


def test_signing_in_twice_at_once_adds_the_guest_cart_only_once(
    engine: Engine, session: Session, token: str, kettle: Product
) -> None:
    # given: one guest cart, and two tabs signing in at the same moment
    shopper: User = make_user(session)
    user_id, kettle_id = pk(shopper), pk(kettle)
    guest_carts.save(session=session, token=token, items={kettle_id: 2})

    def sign_in(own: Session) -> object:
        return merge_guest_cart(session=own, user_id=user_id, token=token)

    # when
    outcomes = at_once(engine, [sign_in, sign_in])

    # then: 2 kettles, not 4
    assert outcomes.errors == []
    session.rollback()
    lines = get_cart(session=session, user_id=user_id).lines
    assert [(line.product_id, line.quantity) for line in lines] == [(kettle_id, 2)]
    assert stored_rows(session) == []


def test_signing_in_without_a_guest_cart_changes_nothing(
    session: Session, token: str, kettle: Product
) -> None:
    shopper = make_user(session)
    view, notes = merge_guest_cart(session=session, user_id=pk(shopper), token=token)
    assert (view.lines, notes) == ([], [])
