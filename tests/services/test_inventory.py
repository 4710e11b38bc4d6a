"""Stock holds, their settlement and the ledger: the ledger always explains stock on hand."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from shopora.errors import NotFound, OutOfStock, ValidationFailed
from shopora.models import (
    InventoryMovement,
    MovementReason,
    Order,
    Product,
    ReservationStatus,
    StockReservation,
    User,
)
from shopora.services import inventory
from shopora.services.actors import Actor
from shopora.services.inventory import Shortfall
from tests.factories import make_product, make_user

OPERATOR = Actor("olivia")
STRIPE = Actor.stripe()
_numbers = itertools.count(1)


@pytest.fixture
def customer(session: Session) -> User:
    return make_user(session)


def given_order(session: Session, user: User) -> Order:
    """A bare pending order row for holds to point at."""
    order = Order(
        number=f"SO-INV{next(_numbers)}",
        user_id=user.id or 0,
        email=user.email,
        subtotal_cents=1000,
        total_cents=1000,
        shipping_name=user.name,
        shipping_line1="1 Main St",
        shipping_city="Springfield",
        shipping_postal_code="12345",
        shipping_country="US",
    )
    session.add(order)
    session.commit()
    return order


def given_hold(session: Session, user: User, *lines: tuple[Product, int]) -> Order:
    order = given_order(session, user)
    inventory.reserve(session, order.id or 0, [(p.id or 0, qty) for p, qty in lines])
    session.commit()
    return order


def fresh(session: Session, product: Product) -> Product:
    found = session.get(Product, product.id, populate_existing=True)
    assert found is not None
    return found


def holds_of(session: Session, order: Order) -> list[StockReservation]:
    statement = (
        select(StockReservation)
        .where(StockReservation.order_id == order.id)
        .order_by(col(StockReservation.product_id))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement).all())


def movements(session: Session, **where: Any) -> list[InventoryMovement]:
    statement = select(InventoryMovement).filter_by(**where).order_by(col(InventoryMovement.id))
    return list(session.exec(statement).all())


def assert_stock_invariants(session: Session) -> None:
    """For every product: ledger sum == on hand, 0 <= reserved <= on hand, and reserved
    equals what its held reservations hold."""
    products = session.exec(select(Product).execution_options(populate_existing=True)).all()
    assert products, "no products to check"
    for product in products:
        ledger_sum = session.exec(
            select(func.coalesce(func.sum(InventoryMovement.delta), 0)).where(
                InventoryMovement.product_id == product.id
            )
        ).one()
        held = session.exec(
            select(func.coalesce(func.sum(StockReservation.quantity), 0)).where(
                StockReservation.product_id == product.id,
                StockReservation.status == ReservationStatus.HELD,
            )
        ).one()
        assert ledger_sum == product.stock_on_hand, product.name
        assert 0 <= product.reserved <= product.stock_on_hand, product.name
        assert held == product.reserved, product.name


def assert_product_is_not_locked(session: Session, product_id: int) -> None:
    """Another connection can take the product's write lock at once, without waiting."""
    engine = session.get_bind()
    raw = engine.raw_connection()  # type: ignore[union-attr]
    cursor = raw.cursor()
    try:
        if engine.dialect.name == "sqlite":
            # SQLite locks the whole database for a writer: "database is locked" if held.
            cursor.execute("PRAGMA busy_timeout=0")
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
            cursor.execute("PRAGMA busy_timeout=30000")
        else:
            cursor.execute(f"SELECT id FROM products WHERE id = {product_id:d} FOR UPDATE NOWAIT")
            raw.rollback()
    finally:
        raw.invalidate()  # never hand this altered connection back to the pool


# --- reserve -----------------------------------------------------------------------------


def test_reserving_holds_stock_for_every_line_without_touching_stock_on_hand(
    session: Session, customer: User
) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    mug = make_product(session, stock_on_hand=4)

    # when
    order = given_hold(session, customer, (kettle, 3), (mug, 4))

    # then
    assert (fresh(session, kettle).reserved, fresh(session, kettle).stock_on_hand) == (3, 10)
    assert (fresh(session, mug).reserved, fresh(session, mug).available) == (4, 0)
    assert [(h.product_id, h.quantity, h.status) for h in holds_of(session, order)] == [
        (kettle.id, 3, ReservationStatus.HELD),
        (mug.id, 4, ReservationStatus.HELD),
    ]
    assert_stock_invariants(session)


def test_reserving_is_all_or_nothing_across_lines(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    mug = make_product(session, stock_on_hand=2)
    order = given_order(session, customer)

    # when the second line asks for more than is available
    with pytest.raises(OutOfStock, match="Only 2 of"):
        inventory.reserve(session, order.id or 0, [(kettle.id or 0, 3), (mug.id or 0, 3)])
    session.commit()

    # then not even the first line was held
    assert fresh(session, kettle).reserved == 0
    assert fresh(session, mug).reserved == 0
    assert holds_of(session, order) == []
    assert_stock_invariants(session)


def test_stock_held_for_one_order_is_not_available_to_the_next(
    session: Session, customer: User
) -> None:
    # given
    lamp = make_product(session, stock_on_hand=3, name="Lamp")
    given_hold(session, customer, (lamp, 3))
    second = given_order(session, customer)

    # then
    with pytest.raises(OutOfStock, match="Lamp is sold out"):
        inventory.reserve(session, second.id or 0, [(lamp.id or 0, 1)])


def test_reserving_an_unknown_product_is_refused(session: Session, customer: User) -> None:
    order = given_order(session, customer)

    with pytest.raises(NotFound):
        inventory.reserve(session, order.id or 0, [(999_999, 1)])


# --- release -----------------------------------------------------------------------------


def test_releasing_gives_the_held_stock_back(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=5)
    order = given_hold(session, customer, (kettle, 2))

    # when
    inventory.release(session, order.id or 0)
    session.commit()

    # then
    assert fresh(session, kettle).reserved == 0
    assert fresh(session, kettle).stock_on_hand == 5
    (hold,) = holds_of(session, order)
    assert hold.status == ReservationStatus.RELEASED
    assert hold.settled_at is not None
    assert movements(session, reason=MovementReason.SALE) == []
    assert_stock_invariants(session)


def test_releasing_twice_gives_nothing_back_the_second_time(
    session: Session, customer: User
) -> None:
    # given one released order and another still holding stock
    kettle = make_product(session, stock_on_hand=5)
    released = given_hold(session, customer, (kettle, 2))
    given_hold(session, customer, (kettle, 1))
    inventory.release(session, released.id or 0)
    session.commit()

    # when
    inventory.release(session, released.id or 0)
    session.commit()

    # then the other order's hold is intact
    assert fresh(session, kettle).reserved == 1
    assert_stock_invariants(session)


# --- commit ------------------------------------------------------------------------------


def test_committing_turns_holds_into_sale_entries(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    mug = make_product(session, stock_on_hand=4)
    order = given_hold(session, customer, (kettle, 3), (mug, 1))

    # when
    shortfalls = inventory.commit(
        session, order.id or 0, [(kettle.id or 0, 3), (mug.id or 0, 1)], actor=STRIPE
    )
    session.commit()

    # then
    assert shortfalls == []
    assert (fresh(session, kettle).stock_on_hand, fresh(session, kettle).reserved) == (7, 0)
    assert (fresh(session, mug).stock_on_hand, fresh(session, mug).reserved) == (3, 0)
    sales = movements(session, reason=MovementReason.SALE)
    assert [(m.product_id, m.delta, m.order_id, m.actor) for m in sales] == [
        (kettle.id, -3, order.id, "stripe"),
        (mug.id, -1, order.id, "stripe"),
    ]
    assert {h.status for h in holds_of(session, order)} == {ReservationStatus.COMMITTED}
    assert_stock_invariants(session)


def test_committing_a_lapsed_hold_takes_from_available_stock(
    session: Session, customer: User
) -> None:
    # given the hold was released (session expired) but stock is still there
    kettle = make_product(session, stock_on_hand=5)
    order = given_hold(session, customer, (kettle, 2))
    inventory.release(session, order.id or 0)
    session.commit()

    # when the payment arrives after all
    shortfalls = inventory.commit(session, order.id or 0, [(kettle.id or 0, 2)], actor=STRIPE)
    session.commit()

    # then
    assert shortfalls == []
    assert (fresh(session, kettle).stock_on_hand, fresh(session, kettle).reserved) == (3, 0)
    assert [h.status for h in holds_of(session, order)] == [ReservationStatus.COMMITTED]
    assert_stock_invariants(session)


def test_committing_a_lapsed_hold_whose_stock_is_gone_reports_a_shortfall(
    session: Session, customer: User
) -> None:
    # given the lapsed order's stock went to somebody else
    kettle = make_product(session, stock_on_hand=3, name="Kettle")
    mug = make_product(session, stock_on_hand=5)
    late = given_hold(session, customer, (kettle, 2), (mug, 1))
    inventory.release(session, late.id or 0)
    session.commit()
    given_hold(session, make_user(session), (kettle, 2))

    # when
    shortfalls = inventory.commit(
        session, late.id or 0, [(kettle.id or 0, 2), (mug.id or 0, 1)], actor=STRIPE
    )
    session.commit()

    # then the kettle line took nothing, the mug line was sold from available stock
    assert shortfalls == [Shortfall(kettle.id or 0, "Kettle", wanted=2, available=1)]
    assert (fresh(session, kettle).stock_on_hand, fresh(session, kettle).reserved) == (3, 2)
    assert fresh(session, mug).stock_on_hand == 4
    assert_stock_invariants(session)


def test_committing_an_already_committed_order_takes_nothing_more(
    session: Session, customer: User
) -> None:
    # given (a retried settlement: return page and webhook both arrive)
    kettle = make_product(session, stock_on_hand=10)
    order = given_hold(session, customer, (kettle, 3))
    inventory.commit(session, order.id or 0, [(kettle.id or 0, 3)], actor=STRIPE)
    session.commit()

    # when
    shortfalls = inventory.commit(session, order.id or 0, [(kettle.id or 0, 3)], actor=STRIPE)
    session.commit()

    # then
    assert shortfalls == []
    assert fresh(session, kettle).stock_on_hand == 7
    assert len(movements(session, reason=MovementReason.SALE)) == 1
    assert_stock_invariants(session)


# --- return to stock ---------------------------------------------------------------------


def test_refunded_goods_return_to_stock_with_refund_entries(
    session: Session, customer: User
) -> None:
    # given a sold kettle
    kettle = make_product(session, stock_on_hand=10)
    order = given_hold(session, customer, (kettle, 2))
    inventory.commit(session, order.id or 0, [(kettle.id or 0, 2)], actor=STRIPE)
    session.commit()

    # when
    inventory.return_to_stock(
        session, order.id or 0, [(kettle.id or 0, 2)], actor=OPERATOR, note="Refund re_1"
    )
    session.commit()

    # then
    assert fresh(session, kettle).stock_on_hand == 10
    (refund,) = movements(session, reason=MovementReason.REFUND)
    assert (refund.delta, refund.order_id, refund.actor, refund.note) == (
        2,
        order.id,
        "olivia",
        "Refund re_1",
    )
    assert_stock_invariants(session)


# --- adjust_stock ------------------------------------------------------------------------


def adjust(session: Session, product: Product, delta: int, **overrides: Any) -> Product:
    values: dict[str, Any] = {"actor": OPERATOR, "note": "Cycle count"}
    values.update(overrides)
    return inventory.adjust_stock(
        session=session, product_id=product.id or 0, delta=delta, **values
    )


def test_an_adjustment_changes_stock_and_writes_a_ledger_entry(session: Session) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)

    # when
    adjusted = adjust(session, kettle, -2, note="  Two dented in the warehouse  ")

    # then
    assert adjusted.stock_on_hand == 8
    assert fresh(session, kettle).stock_on_hand == 8
    (entry,) = movements(session, reason=MovementReason.ADJUSTMENT)
    assert (entry.delta, entry.actor, entry.note) == (-2, "olivia", "Two dented in the warehouse")
    assert_stock_invariants(session)


def test_a_restock_adds_stock_with_a_restock_entry(session: Session) -> None:
    kettle = make_product(session, stock_on_hand=1)

    adjust(session, kettle, 24, reason=MovementReason.RESTOCK, note="PO 1182")

    assert fresh(session, kettle).stock_on_hand == 25
    assert [m.delta for m in movements(session, reason=MovementReason.RESTOCK)] == [24]
    assert_stock_invariants(session)


def test_stock_can_be_adjusted_down_to_exactly_what_is_held(
    session: Session, customer: User
) -> None:
    kettle = make_product(session, stock_on_hand=10)
    given_hold(session, customer, (kettle, 4))

    adjust(session, kettle, -6)

    assert (fresh(session, kettle).stock_on_hand, fresh(session, kettle).available) == (4, 0)
    assert_stock_invariants(session)


@pytest.mark.parametrize(
    ("delta", "overrides", "field"),
    [
        (0, {}, "delta"),
        (5, {"note": ""}, "note"),
        (5, {"note": "   "}, "note"),
        (-5, {"reason": MovementReason.RESTOCK}, "delta"),
        (-1, {"reason": MovementReason.SALE}, "reason"),
        (1, {"reason": MovementReason.SEED}, "reason"),
    ],
)
def test_an_invalid_adjustment_is_refused_naming_the_field(
    session: Session, delta: int, overrides: dict[str, Any], field: str
) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)

    # when
    with pytest.raises(ValidationFailed) as refused:
        adjust(session, kettle, delta, **overrides)

    # then
    assert refused.value.field == field
    assert fresh(session, kettle).stock_on_hand == 10
    assert_stock_invariants(session)


def test_stock_cannot_be_adjusted_below_what_is_held(session: Session, customer: User) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    kettle_id = kettle.id or 0  # read now: the refusal expires every loaded row
    given_hold(session, customer, (kettle, 4))

    # when
    with pytest.raises(OutOfStock, match="cannot go below 4"):
        adjust(session, kettle, -7)

    # then the refusal rolled back and holds no lock on the product
    assert_product_is_not_locked(session, kettle_id)
    assert fresh(session, kettle).stock_on_hand == 10
    assert movements(session, reason=MovementReason.ADJUSTMENT) == []
    assert_stock_invariants(session)


def test_stock_cannot_be_adjusted_below_zero(session: Session) -> None:
    kettle = make_product(session, stock_on_hand=3)
    kettle_id = kettle.id or 0  # read now: the refusal expires every loaded row

    with pytest.raises(OutOfStock):
        adjust(session, kettle, -4)

    assert_product_is_not_locked(session, kettle_id)
    assert fresh(session, kettle).stock_on_hand == 3


def test_adjusting_an_unknown_product_is_refused(session: Session) -> None:
    with pytest.raises(NotFound):
        inventory.adjust_stock(
            session=session, product_id=999_999, delta=1, actor=OPERATOR, note="count"
        )

    assert not session.in_transaction()  # nothing left open that would block other writers


def test_the_ledger_lists_a_products_movements_newest_first(session: Session) -> None:
    # given
    kettle = make_product(session, stock_on_hand=10)
    make_product(session, stock_on_hand=7)  # another product's entries stay out
    adjust(session, kettle, -1, note="first")
    adjust(session, kettle, 5, reason=MovementReason.RESTOCK, note="second")

    # when
    entries = inventory.ledger(session=session, product_id=kettle.id or 0)

    # then
    assert [(m.reason, m.delta) for m in entries] == [
        (MovementReason.RESTOCK, 5),
        (MovementReason.ADJUSTMENT, -1),
        (MovementReason.SEED, 10),
    ]
    assert_stock_invariants(session)
