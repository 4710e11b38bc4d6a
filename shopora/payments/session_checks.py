"""Checking a Checkout Session against the order it names, before anything changes: whose
order it is, whether it is that order's current session, whether it is paid, and whether
Stripe took the amount and currency the order totals. A session refused as a mismatch is
recorded once as a payment_mismatch event; one merely not paid yet is not recorded.

Separate from `fulfilment` because the webhook and reconciliation run these checks on their
own, outside the settling transaction, and they change nothing but that event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from shopora.errors import NotFound, PaymentMismatch, PaymentNotCompleted, ShoporaError
from shopora.models import EventKind, Order, OrderEvent
from shopora.models.base import pk
from shopora.payments.gateway import CheckoutSessionInfo
from shopora.services import lifecycle
from shopora.services.actors import Actor
from shopora.services.uow import transaction

# Checking a session against its order (before anything changes)


def order_reference(metadata: Mapping[str, Any], client_reference_id: Any) -> int | None:
    """The order id a Checkout Session names: metadata.order_id, else client_reference_id."""
    raw = str(metadata.get("order_id") or client_reference_id or "")
    return int(raw) if raw.isdigit() else None


def _record_mismatch(session: Session, order_id: int, actor: Actor, data: dict[str, Any]) -> None:
    """A payment_mismatch event, in its own transaction; the same finding is recorded once
    (reconciliation and Stripe's retries would otherwise repeat it)."""
    with transaction(session):
        order = lifecycle.locked_order(session, order_id)
        seen = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == order_id, OrderEvent.kind == EventKind.PAYMENT_MISMATCH
            )
        ).all()
        if any(event.data == data for event in seen):
            return
        note = f"Stripe session {data['session_id']} refused: {data['reason']}."
        lifecycle.record_event(
            session, order, EventKind.PAYMENT_MISMATCH, actor, note=note, data=data
        )


def _problem(
    order: Order,
    info: CheckoutSessionInfo,
    acting_user_id: int | None,
    expected_order_id: int | None,
) -> tuple[dict[str, Any], ShoporaError] | None:
    base: dict[str, Any] = {"session_id": info.id}
    if acting_user_id is not None and order.user_id != acting_user_id:
        data = base | {"reason": "another_customer", "acting_user_id": acting_user_id}
        return data, NotFound("We couldn't find that payment.")
    if expected_order_id is not None and expected_order_id != order.id:
        data = base | {"reason": "another_order", "expected_order_id": expected_order_id}
        return data, PaymentMismatch("That payment belongs to another order.")
    if info.client_reference_id not in (None, str(order.id)):
        data = base | {"reason": "client_reference_id", "got": info.client_reference_id}
        return data, PaymentMismatch("That payment session names another order.")
    if order.stripe_session_id != info.id:
        data = base | {"reason": "not_current_session", "current": order.stripe_session_id}
        return data, PaymentMismatch(f"That is not the payment session of {order.number}.")
    return None


def _amount_problem(
    order: Order, info: CheckoutSessionInfo
) -> tuple[dict[str, Any], ShoporaError] | None:
    base: dict[str, Any] = {"session_id": info.id}
    if info.amount_total != order.total_cents:
        data = base | {"reason": "amount", "expected": order.total_cents, "got": info.amount_total}
        message = (
            f"Stripe charged {info.amount_total} but {order.number} totals {order.total_cents}"
        )
        return data, PaymentMismatch(f"{message} (cents); the order was not marked paid.")
    if (info.currency or "").lower() != order.currency.lower():
        data = base | {"reason": "currency", "expected": order.currency, "got": info.currency}
        return data, PaymentMismatch(
            f"Stripe charged in {info.currency} but {order.number} is in {order.currency}."
        )
    return None


def check_session(
    session: Session,
    info: CheckoutSessionInfo,
    *,
    actor: Actor,
    acting_user_id: int | None = None,
    expected_order_id: int | None = None,
) -> int:
    """The id of the order this complete, paid session settles. Anything else raises:
    PaymentNotCompleted (not paid yet; nothing recorded), NotFound (no such order, or another
    customer's), PaymentMismatch (wrong order or session, amount, currency). Those last two
    first record a payment_mismatch event on the order, in its own transaction."""
    order_id = order_reference(info.metadata, info.client_reference_id)
    order = session.get(Order, order_id, populate_existing=True) if order_id else None
    if order is None:
        raise NotFound("That payment session does not belong to any Shopora order.")
    found = _problem(order, info, acting_user_id, expected_order_id)
    if found is None:
        if not info.is_paid:
            raise PaymentNotCompleted(
                f"The payment for {order.number} is not complete yet "
                f"(status {info.status}, payment {info.payment_status})."
            )
        found = _amount_problem(order, info)
    if found is not None:
        data, error = found
        _record_mismatch(session, pk(order), actor, data)
        raise error
    return pk(order)
