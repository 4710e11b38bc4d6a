"""The console's read models: saved views and their live counts, a product's ledger with the
order numbers behind its movements, and an order found by its number."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from shopora.errors import ValidationFailed
from shopora.models import InventoryMovement, MovementReason, Order
from shopora.services import ops_console
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import search_orders
from tests.factories import make_product
from tests.services.test_admin_orders import orders  # noqa: F401  (fixture)


def numbers_in(session: Session, view: str) -> set[str]:
    filters = ops_console.saved_view(view).filters
    return {row.number for row in search_orders(session=session, filters=filters).rows}


def test_each_saved_view_lists_the_orders_it_names(
    session: Session,
    orders: dict[str, Order],  # noqa: F811
) -> None:
    assert numbers_in(session, "unfulfilled") == {"SO-2", "SO-5"}
    assert numbers_in(session, "attention") == {"SO-5"}
    assert numbers_in(session, "pending") == {"SO-1"}
    assert numbers_in(session, "refunded") == {"SO-5"}
    assert numbers_in(session, "all") == set(orders)


def test_the_live_counts_match_the_views_lists(
    session: Session,
    orders: dict[str, Order],  # noqa: F811
) -> None:
    counts = ops_console.view_counts(session=session)

    assert counts == {view: len(numbers_in(session, view)) for view in ops_console.VIEW_NAMES}


def test_a_view_narrowed_by_a_search_counts_only_what_matches(
    session: Session,
    orders: dict[str, Order],  # noqa: F811
) -> None:
    unfulfilled = ops_console.saved_view("unfulfilled").filters
    bob = OrderFilter(statuses=unfulfilled.statuses, query="bob")

    assert ops_console.count_orders(session=session, filters=bob) == 0


def test_an_unknown_view_or_status_in_a_view_is_refused(session: Session) -> None:
    with pytest.raises(ValidationFailed):
        ops_console.saved_view("everything")
    with pytest.raises(ValidationFailed) as refused:
        ops_console.count_orders(session=session, filters=OrderFilter(statuses=("lost",)))
    assert refused.value.field == "statuses"


def test_the_ledger_names_the_order_behind_a_movement_by_its_number(
    session: Session,
    orders: dict[str, Order],  # noqa: F811
) -> None:
    lamp = make_product(session, name="Desk lamp", stock_on_hand=0)
    sold = InventoryMovement(
        product_id=lamp.id or 0,
        delta=-1,
        reason=MovementReason.SALE,
        order_id=orders["SO-2"].id,
    )
    session.add(sold)
    session.add(InventoryMovement(product_id=lamp.id or 0, delta=5, reason=MovementReason.RESTOCK))
    session.commit()

    rows = ops_console.ledger(session=session, product_id=lamp.id or 0)

    assert {(row.delta, row.order_number) for row in rows} == {(-1, "SO-2"), (5, None)}


def test_an_order_is_found_by_its_number(
    session: Session,
    orders: dict[str, Order],  # noqa: F811
) -> None:
    assert ops_console.order_id_for(session=session, number="SO-3") == orders["SO-3"].id
    assert ops_console.order_id_for(session=session, number="SO-999") is None
