"""Read models the operator console needs beyond the per-domain services: its saved order
views with their live counts, and a product's stock ledger with order numbers.

A saved view is a named OrderFilter, so the list, its count and the CSV of a view are the
same query as any other filter (`admin_order_filter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlmodel import Session, col, func, select

from shopora.errors import ValidationFailed
from shopora.models import InventoryMovement, Order, OrderStatus, PaymentStatus
from shopora.services.admin_order_filter import OrderFilter, check_filter, filter_conditions
from shopora.services.admin_orders import COUNT_CAP


@dataclass(frozen=True)
class SavedView:
    name: str
    label: str
    filters: OrderFilter


VIEWS: Final = (
    SavedView(
        "unfulfilled",
        "Unfulfilled",
        OrderFilter(statuses=(OrderStatus.PAID.value, OrderStatus.PROCESSING.value)),
    ),
    SavedView("attention", "Needs attention", OrderFilter(needs_attention=True)),
    SavedView("pending", "Pending payment", OrderFilter(statuses=(OrderStatus.PENDING.value,))),
    SavedView(
        "refunded",
        "Refunded",
        OrderFilter(
            payment_statuses=(
                PaymentStatus.PARTIALLY_REFUNDED.value,
                PaymentStatus.REFUNDED.value,
            )
        ),
    ),
    SavedView("all", "All", OrderFilter()),
)
VIEW_NAMES: Final = tuple(view.name for view in VIEWS)


def saved_view(name: str) -> SavedView:
    """The view called `name` ("unfulfilled", "attention", "pending", "refunded", "all")."""
    for view in VIEWS:
        if view.name == name:
            return view
    raise ValidationFailed(f"Unknown order view {name!r}.", field="view")


def count_orders(*, session: Session, filters: OrderFilter) -> int:
    """How many orders match `filters`, counted up to COUNT_CAP + 1 (more than COUNT_CAP
    reads "10,000+", as the list's own count does)."""
    check_filter(filters)
    where = filter_conditions(filters, session.get_bind().dialect.name)
    matches = select(col(Order.id)).where(*where).limit(COUNT_CAP + 1).subquery()
    return int(session.exec(select(func.count()).select_from(matches)).one())


def count_label(count: int) -> str:
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def view_counts(*, session: Session) -> dict[str, int]:
    """Each saved view's number of orders right now, by view name."""
    return {view.name: count_orders(session=session, filters=view.filters) for view in VIEWS}


@dataclass(frozen=True)
class LedgerRow:
    """One stock movement; `order_number` ("SO-10403") when an order caused it."""

    created_at: datetime
    delta: int
    reason: str
    order_id: int | None
    order_number: str | None
    actor: str
    note: str


def ledger(*, session: Session, product_id: int) -> list[LedgerRow]:
    """A product's stock movements, newest first, with the number of the order behind each."""
    statement = (
        select(InventoryMovement, col(Order.number))
        .outerjoin(Order, col(Order.id) == col(InventoryMovement.order_id))
        .where(col(InventoryMovement.product_id) == product_id)
        .order_by(col(InventoryMovement.created_at).desc(), col(InventoryMovement.id).desc())
    )
    return [
        LedgerRow(
            created_at=move.created_at,
            delta=move.delta,
            reason=move.reason,
            order_id=move.order_id,
            order_number=number,
            actor=move.actor,
            note=move.note,
        )
        for move, number in session.exec(statement).all()
    ]


def order_id_for(*, session: Session, number: str) -> int | None:
    """The id of the order numbered `number` ("SO-10403"), if there is one."""
    found = session.exec(select(col(Order.id)).where(col(Order.number) == number)).first()
    return int(found) if found is not None else None
