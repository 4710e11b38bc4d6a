"""Many customers at once: stock is never oversold and a retried placement makes one order.

Each thread has its own Session on one engine (the `engine` fixture: `build_engine(db_url)`,
which on PostgreSQL also starts from empty tables), and a Barrier releases them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from shopora.errors import OutOfStock
from shopora.models import (
    CartItem,
    InventoryMovement,
    Order,
    Product,
    ReservationStatus,
    StockReservation,
)
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.factories import make_product, make_user
from tests.together import at_once

ADDRESS = ShippingAddress(
    name="Ada Lovelace", line1="1 Main St", city="Springfield", postal_code="12345", country="US"
)


@dataclass
class Outcomes:
    order_ids: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def run_together(engine: Engine, calls: list[Callable[[Session], Order]]) -> Outcomes:
    """Run each placement in its own thread and Session, all starting at the same moment."""
    outcomes = at_once(engine, calls)
    return Outcomes([order.id or 0 for order in outcomes.results], outcomes.errors)


def given_customers_with_cart(
    engine: Engine, customers: int, *, stock: int
) -> tuple[int, list[int]]:
    """One product with `stock` units and `customers` customers with 1 unit in their cart."""
    with Session(engine, expire_on_commit=False) as session:
        product = make_product(session, stock_on_hand=stock)
        users = [make_user(session) for _ in range(customers)]
        for user in users:
            session.add(CartItem(user_id=user.id or 0, product_id=product.id or 0, quantity=1))
        session.commit()
        return product.id or 0, [user.id or 0 for user in users]


def placing(user_id: int, key: str | None = None) -> Callable[[Session], Order]:
    def call(session: Session) -> Order:
        return place_order(session=session, user_id=user_id, shipping=ADDRESS, idempotency_key=key)

    return call


def stock_of(engine: Engine, product_id: int) -> tuple[int, int, int, int, int]:
    """(on hand, reserved, ledger sum, held quantity, orders) as the database has them."""
    with Session(engine) as session:
        product = session.get(Product, product_id)
        assert product is not None
        ledger = session.exec(
            select(func.sum(InventoryMovement.delta)).where(
                InventoryMovement.product_id == product_id
            )
        ).one()
        held = session.exec(
            select(func.coalesce(func.sum(StockReservation.quantity), 0)).where(
                StockReservation.product_id == product_id,
                StockReservation.status == ReservationStatus.HELD,
            )
        ).one()
        orders = session.exec(select(func.count()).select_from(Order)).one()
        return product.stock_on_hand, product.reserved, int(ledger or 0), int(held), int(orders)


def test_twenty_customers_racing_for_five_units_get_exactly_five_orders(
    engine: Engine,
) -> None:
    # given
    product_id, customers = given_customers_with_cart(engine, 20, stock=5)

    # when everybody places at once
    outcomes = run_together(engine, [placing(user_id) for user_id in customers])

    # then
    unexpected = [exc for exc in outcomes.errors if not isinstance(exc, OutOfStock)]
    assert unexpected == []
    assert len(outcomes.order_ids) == 5
    assert len(set(outcomes.order_ids)) == 5
    assert len(outcomes.errors) == 15
    on_hand, reserved, ledger, held, orders = stock_of(engine, product_id)
    assert (on_hand, reserved, held, orders) == (5, 5, 5, 5)
    assert ledger == on_hand


def test_a_placement_retried_ten_times_at_once_with_one_key_makes_one_order(
    engine: Engine,
) -> None:
    # given
    product_id, (customer,) = given_customers_with_cart(engine, 1, stock=5)

    # when
    key = "checkout-7f3a9c1e"
    outcomes = run_together(engine, [placing(customer, key) for _ in range(10)])

    # then
    assert outcomes.errors == []
    assert len(outcomes.order_ids) == 10
    assert len(set(outcomes.order_ids)) == 1
    on_hand, reserved, _ledger, held, orders = stock_of(engine, product_id)
    assert (on_hand, reserved, held, orders) == (5, 1, 1, 1)


def test_a_double_click_without_a_key_makes_one_order(engine: Engine) -> None:
    # given
    product_id, (customer,) = given_customers_with_cart(engine, 1, stock=5)

    # when the same cart is placed by several requests at once
    outcomes = run_together(engine, [placing(customer) for _ in range(6)])

    # then
    assert outcomes.errors == []
    assert len(set(outcomes.order_ids)) == 1
    on_hand, reserved, _ledger, held, orders = stock_of(engine, product_id)
    assert (on_hand, reserved, held, orders) == (5, 1, 1, 1)
