"""Order status changes: one transition table, named actions, an OrderEvent for each.

Nobody assigns `order.status` outside this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from shopora.db import lock
from shopora.errors import IllegalTransition, NotFound, ValidationFailed
from shopora.models import EventKind, Order, OrderEvent, OrderStatus, PaymentStatus, VerifiedVia
from shopora.models.base import pk, utcnow
from shopora.services import discounts, inventory, rollups
from shopora.services.actors import Actor
from shopora.services.uow import transaction

S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.PAID, S.CANCELLED}),
    # A paid order is cancelled only together with a full refund (see payments.refunds).
    S.PAID: frozenset({S.PROCESSING, S.CANCELLED}),
    S.PROCESSING: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}
CARRIERS = ("UPS", "USPS", "FedEx", "DHL", "Royal Mail", "Canada Post")
_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{3,39}$")


def can_move(order: Order, to: OrderStatus) -> bool:
    return to in TRANSITIONS[OrderStatus(order.status)]


def record_event(
    session: Session,
    order: Order,
    kind: EventKind,
    actor: Actor,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> OrderEvent:
    """Append to the order's audit trail (joins the caller's transaction)."""
    event = OrderEvent(
        order_id=pk(order),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor.name,
        actor_user_id=actor.user_id,
        note=note,
        data=data or {},
    )
    session.add(event)
    return event


def _move(
    session: Session,
    order: Order,
    to: OrderStatus,
    kind: EventKind,
    actor: Actor,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    if not can_move(order, to):
        raise IllegalTransition(f"Order {order.number} is {order.status}; it cannot become {to}.")
    before = order.status
    order.status = to
    order.updated_at = utcnow()
    session.add(order)
    rollups.status_changed(session, order, before, to)
    record_event(
        session, order, kind, actor, from_status=before, to_status=to, note=note, data=data
    )


def locked_order(session: Session, order_id: int) -> Order:
    order = lock(session, Order, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


# Building blocks used by the payment use cases (they join the caller's transaction).


def mark_paid(
    session: Session,
    order: Order,
    actor: Actor,
    *,
    via: VerifiedVia,
    session_id: str,
    payment_intent_id: str | None,
    amount_cents: int,
    paid_at: datetime,
) -> None:
    data = {
        "session_id": session_id,
        "payment_intent": payment_intent_id,
        "amount": amount_cents,
        "currency": order.currency,
        "via": str(via),
    }
    # Move first: a refused move must not leave another payment's details on the order.
    _move(session, order, S.PAID, EventKind.PAID, actor, data=data)
    order.payment_status = PaymentStatus.PAID
    order.payment_intent_id = payment_intent_id
    order.amount_paid_cents = amount_cents
    order.paid_at = paid_at
    order.verified_via = via
    rollups.order_paid(session, order)


def cancel_pending(session: Session, order: Order, actor: Actor, *, reason: str) -> None:
    """Cancel an unpaid order and give its held stock back."""
    if order.status != S.PENDING:
        raise IllegalTransition(
            f"Only pending orders can be cancelled; {order.number} is {order.status}."
        )
    _move(session, order, S.CANCELLED, EventKind.CANCELLED, actor, note=reason)
    order.cancelled_at = utcnow()
    inventory.release(session, pk(order))
    discounts.release(session, order)


def cancel_refunded(session: Session, order: Order, actor: Actor, *, note: str) -> None:
    """Cancel a paid, unshipped order whose payment was refunded in full."""
    if order.status not in (S.PAID, S.PROCESSING):
        # A pending order is cancelled by cancel_pending, which also releases its hold.
        raise IllegalTransition(
            f"Only paid or processing orders are cancelled with a refund; "
            f"{order.number} is {order.status}."
        )
    if order.payment_status != PaymentStatus.REFUNDED:
        raise IllegalTransition("A paid order is cancelled only together with a full refund.")
    _move(session, order, S.CANCELLED, EventKind.CANCELLED, actor, note=note)
    order.cancelled_at = utcnow()


def flag_attention(
    session: Session, order: Order, actor: Actor, *, reason: str, data: dict[str, Any] | None = None
) -> None:
    order.needs_attention = True
    order.attention_reason = (
        reason if not order.attention_reason else (f"{order.attention_reason}\n{reason}")
    )
    session.add(order)
    record_event(session, order, EventKind.NEEDS_ATTENTION, actor, note=reason, data=data)


# Operator actions: public use cases, one transaction each.


def start_processing(*, session: Session, order_id: int, actor: Actor) -> Order:
    """Paid → processing: the operator starts picking and packing."""
    with transaction(session):
        order = locked_order(session, order_id)
        _move(session, order, S.PROCESSING, EventKind.PROCESSING, actor)
        order.processing_at = utcnow()
    return order


def ship(
    *, session: Session, order_id: int, actor: Actor, carrier: str, tracking_number: str
) -> Order:
    """Processing → shipped, with the carrier and tracking number the customer will see."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not 2 <= len(carrier) <= 60:
        raise ValidationFailed("Choose the carrier.", field="carrier")
    if not _TRACKING.match(tracking_number):
        raise ValidationFailed(
            "Enter the tracking number (4–40 letters or digits).", field="tracking_number"
        )
    with transaction(session):
        order = locked_order(session, order_id)
        data = {"carrier": carrier, "tracking_number": tracking_number}
        _move(session, order, S.SHIPPED, EventKind.SHIPPED, actor, data=data)
        order.carrier, order.tracking_number = carrier, tracking_number
        order.shipped_at = utcnow()
        rollups.order_shipped(session, order)
    return order


def deliver(*, session: Session, order_id: int, actor: Actor) -> Order:
    """Shipped → delivered."""
    with transaction(session):
        order = locked_order(session, order_id)
        _move(session, order, S.DELIVERED, EventKind.DELIVERED, actor)
        order.delivered_at = utcnow()
        rollups.order_delivered(session, order)
    return order


def add_note(*, session: Session, order_id: int, actor: Actor, note: str) -> OrderEvent:
    """An operator's note on the order's timeline."""
    if not note.strip():
        raise ValidationFailed("Write the note first.", field="note")
    with transaction(session):
        order = locked_order(session, order_id)
        event = record_event(session, order, EventKind.NOTE, actor, note=note.strip()[:2000])
    return event


def resolve_attention(*, session: Session, order_id: int, actor: Actor, note: str) -> Order:
    """Clear the needs-attention flag once the operator has dealt with it."""
    with transaction(session):
        order = locked_order(session, order_id)
        order.needs_attention = False
        record_event(
            session,
            order,
            EventKind.NOTE,
            actor,
            note=f"Attention resolved: {note.strip() or 'no note'}",
        )
    return order


def bulk_start_processing(
    *, session: Session, order_ids: Sequence[int], actor: Actor
) -> tuple[list[str], list[str]]:
    """Start processing each paid order; returns (moved numbers, refusal messages)."""
    return _each(start_processing, session, order_ids, actor)


def bulk_deliver(
    *, session: Session, order_ids: Sequence[int], actor: Actor
) -> tuple[list[str], list[str]]:
    """Mark each shipped order delivered; returns (moved numbers, refusal messages)."""
    return _each(deliver, session, order_ids, actor)


def _each(
    action: Callable[..., Order], session: Session, order_ids: Sequence[int], actor: Actor
) -> tuple[list[str], list[str]]:
    """One transaction per order, so one refusal leaves the others moved."""
    moved: list[str] = []
    refused: list[str] = []
    for order_id in order_ids:
        try:
            moved.append(action(session=session, order_id=order_id, actor=actor).number)
        except (IllegalTransition, NotFound) as exc:
            refused.append(exc.message)
    return moved, refused


def events(*, session: Session, order_id: int) -> list[OrderEvent]:
    """An order's timeline, oldest first."""
    statement = (
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id)
        .order_by(col(OrderEvent.created_at), col(OrderEvent.id))
    )
    return list(session.exec(statement).all())
