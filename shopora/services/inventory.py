"""Stock: holds for pending orders, their settlement, and the ledger behind every change.

Invariants: stock_on_hand >= 0, 0 <= reserved <= stock_on_hand (the database checks both),
and the sum of a product's ledger deltas equals its stock_on_hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from shopora.db import lock
from shopora.errors import NotFound, OutOfStock, ValidationFailed
from shopora.models import (
    InventoryMovement,
    MovementReason,
    Product,
    ReservationStatus,
    StockReservation,
)
from shopora.models.base import pk, utcnow
from shopora.services.actors import Actor
from shopora.services.uow import transaction


@dataclass(frozen=True)
class Shortfall:
    """A paid line whose stock was gone (its hold had lapsed): nothing was decremented."""

    product_id: int
    name: str
    wanted: int
    available: int


def _locked_products(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    # Always lock in id order so two orders for the same products cannot deadlock.
    products: dict[int, Product] = {}
    for product_id in sorted(set(product_ids)):
        product = lock(session, Product, product_id)
        if product is None:
            raise NotFound(f"Product {product_id} does not exist.")
        products[product_id] = product
    return products


def _record(
    session: Session,
    product: Product,
    delta: int,
    reason: MovementReason,
    *,
    actor: Actor,
    order_id: int | None = None,
    note: str = "",
) -> None:
    product.stock_on_hand += delta
    product.updated_at = utcnow()
    session.add(product)
    session.add(
        InventoryMovement(
            product_id=pk(product),
            delta=delta,
            reason=reason,
            order_id=order_id,
            actor=actor.name,
            note=note,
        )
    )


def reserve(session: Session, order_id: int, lines: Sequence[tuple[int, int]]) -> None:
    """Hold stock for every line of an order, all or nothing (raises OutOfStock)."""
    products = _locked_products(session, (product_id for product_id, _ in lines))
    for product_id, quantity in lines:
        product = products[product_id]
        if quantity > product.available:
            left = max(product.available, 0)
            raise OutOfStock(
                f"Only {left} of {product.name} left." if left else f"{product.name} is sold out."
            )
    for product_id, quantity in lines:
        products[product_id].reserved += quantity
        session.add(products[product_id])
        session.add(StockReservation(order_id=order_id, product_id=product_id, quantity=quantity))


def _reservations(session: Session, order_id: int) -> list[StockReservation]:
    statement = (
        select(StockReservation)
        .where(StockReservation.order_id == order_id)
        .order_by(col(StockReservation.product_id))
    )
    return list(session.exec(statement).all())


def release(session: Session, order_id: int) -> None:
    """Give a pending order's held stock back (cancel, expiry)."""
    held = [r for r in _reservations(session, order_id) if r.status == ReservationStatus.HELD]
    products = _locked_products(session, (r.product_id for r in held))
    for reservation in held:
        products[reservation.product_id].reserved -= reservation.quantity
        reservation.status = ReservationStatus.RELEASED
        reservation.settled_at = utcnow()
        session.add(reservation)


def commit(
    session: Session, order_id: int, lines: Sequence[tuple[int, int]], *, actor: Actor
) -> list[Shortfall]:
    """Turn an order's holds into stock decrements (`sale` ledger entries).

    A line whose hold had lapsed takes from available stock if there is enough; if not,
    nothing is taken for that line and it is returned as a shortfall: stock never goes negative.
    """
    holds = {r.product_id: r for r in _reservations(session, order_id)}
    products = _locked_products(session, (product_id for product_id, _ in lines))
    shortfalls: list[Shortfall] = []
    for product_id, quantity in lines:
        product, hold = products[product_id], holds.get(product_id)
        if hold is not None and hold.status == ReservationStatus.COMMITTED:
            continue  # settled already (a retried settlement): never sell the same goods twice
        if hold is not None and hold.status == ReservationStatus.HELD:
            product.reserved -= hold.quantity
        elif quantity > product.available:
            shortfalls.append(Shortfall(product_id, product.name, quantity, product.available))
            continue
        _record(session, product, -quantity, MovementReason.SALE, actor=actor, order_id=order_id)
        if hold is not None:
            hold.status = ReservationStatus.COMMITTED
            hold.settled_at = utcnow()
            session.add(hold)
    return shortfalls


def return_to_stock(
    session: Session, order_id: int, lines: Sequence[tuple[int, int]], *, actor: Actor, note: str
) -> None:
    """Refunded goods back on the shelf (`refund` ledger entries)."""
    products = _locked_products(session, (product_id for product_id, _ in lines))
    for product_id, quantity in lines:
        _record(
            session,
            products[product_id],
            quantity,
            MovementReason.REFUND,
            actor=actor,
            order_id=order_id,
            note=note,
        )


def adjust_stock(
    *,
    session: Session,
    product_id: int,
    delta: int,
    actor: Actor,
    note: str,
    reason: MovementReason = MovementReason.ADJUSTMENT,
) -> Product:
    """An operator's stock correction or restock, with a reason; never below what is held."""
    if reason not in (MovementReason.ADJUSTMENT, MovementReason.RESTOCK):
        raise ValidationFailed("Stock changes by hand are adjustments or restocks.", field="reason")
    if delta == 0:
        raise ValidationFailed("The change must not be zero.", field="delta")
    if not note.strip():
        raise ValidationFailed("Say why the stock changes.", field="note")
    if reason == MovementReason.RESTOCK and delta < 0:
        raise ValidationFailed("A restock adds stock.", field="delta")
    # A refusal must roll back too, or the product row stays locked until the caller's session ends.
    with transaction(session):
        product = _locked_products(session, [product_id])[product_id]
        if product.stock_on_hand + delta < product.reserved:
            raise OutOfStock(
                f"{product.name} has {product.stock_on_hand} on hand and {product.reserved} held "
                f"for pending orders; it cannot go below {product.reserved}."
            )
        _record(session, product, delta, reason, actor=actor, note=note.strip())
    return product


def ledger(*, session: Session, product_id: int) -> list[InventoryMovement]:
    """A product's movements, newest first."""
    statement = (
        select(InventoryMovement)
        .where(InventoryMovement.product_id == product_id)
        .order_by(col(InventoryMovement.created_at).desc(), col(InventoryMovement.id).desc())
    )
    return list(session.exec(statement).all())
