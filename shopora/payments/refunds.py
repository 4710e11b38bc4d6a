"""Refunds through Stripe, mirrored locally: the Refund rows, the order's refunded total and
payment status, an event, and (when asked) the goods back on the shelf.

A refund is recorded once per Stripe refund id, whichever arrives first: our own call's
answer or the `charge.refunded` webhook (which also brings refunds made in Stripe's
dashboard).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from sqlalchemy import func
from sqlmodel import Session, col, select

from shopora.errors import RefundRefused, ValidationFailed
from shopora.models import (
    EventKind,
    InventoryMovement,
    MovementReason,
    Order,
    PaymentStatus,
    Refund,
)
from shopora.models.base import pk, utcnow
from shopora.payments.gateway import RefundInfo, RefundReason, StripeGateway, get_gateway
from shopora.payments.tx import end_reads
from shopora.services import installation, inventory, lifecycle, order_rules, orders, rollups
from shopora.services.actors import Actor
from shopora.services.uow import transaction

REASONS: tuple[RefundReason, ...] = ("duplicate", "fraudulent", "requested_by_customer")
_NOT_COUNTED = ("failed", "canceled")


def order_for_intent(session: Session, payment_intent_id: str) -> Order | None:
    statement = select(Order).where(Order.payment_intent_id == payment_intent_id)
    return session.exec(statement).first()


def outstanding(session: Session, order_id: int) -> dict[int, int]:
    """Per product, how many units this order took from stock and has not returned."""
    statement = (
        select(InventoryMovement.product_id, func.sum(InventoryMovement.delta))
        .where(
            InventoryMovement.order_id == order_id,
            col(InventoryMovement.reason).in_([MovementReason.SALE, MovementReason.REFUND]),
        )
        .group_by(col(InventoryMovement.product_id))
    )
    net = {product_id: -int(total) for product_id, total in session.exec(statement).all()}
    return {product_id: units for product_id, units in net.items() if units > 0}


def _restock_lines(
    session: Session,
    order_id: int,
    *,
    full: bool,
    restock: bool,
    restock_items: Mapping[int, int] | None,
) -> list[tuple[int, int]]:
    left = outstanding(session, order_id)
    if restock_items:
        for product_id, quantity in restock_items.items():
            if not 1 <= quantity <= left.get(product_id, 0):
                raise ValidationFailed(
                    f"At most {left.get(product_id, 0)} of product {product_id} can go back "
                    "on the shelf for this order.",
                    field="restock_items",
                )
        return sorted(restock_items.items())
    if not restock:
        return []
    if not full:
        raise ValidationFailed(
            "A partial refund puts back only the items you choose (restock_items).",
            field="restock_items",
        )
    return sorted(left.items())


def _check_refundable(order: Order) -> None:
    if not order_rules.can_refund(order):
        raise RefundRefused(
            f"Order {order.number} is {order.status} with payment {order.payment_status}; "
            "there is no payment to refund."
        )


def _record_refund(
    session: Session,
    order: Order,
    info: RefundInfo,
    actor: Actor,
    *,
    reason: str,
    note: str,
    restock: Sequence[tuple[int, int]] = (),
) -> tuple[Refund, bool]:
    """The Refund row for a Stripe refund (created once) and whether it is new; the locked
    order's refunded total, payment status and timeline follow it."""
    existing = session.exec(select(Refund).where(Refund.stripe_refund_id == info.id)).first()
    if existing is not None:
        return existing, False
    row = Refund(
        order_id=pk(order),
        stripe_refund_id=info.id,
        amount_cents=info.amount,
        reason=reason,
        actor=actor.name,
        note=note,
    )
    session.add(row)
    before = order.refunded_cents
    order.refunded_cents = min(order.total_cents, order.refunded_cents + info.amount)
    fully = order.refunded_cents >= order.total_cents
    order.payment_status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    order.updated_at = utcnow()
    session.add(order)
    data = {
        "amount": info.amount,
        "refund_id": info.id,
        "restock": [list(line) for line in restock],
        "refunded_total": order.refunded_cents,
    }
    lifecycle.record_event(session, order, EventKind.REFUNDED, actor, note=note, data=data)
    rollups.order_refunded(session, order, row, before)
    return row, True


def _restock(
    session: Session, order: Order, row: Refund, lines: Sequence[tuple[int, int]], actor: Actor
) -> None:
    """Put goods back once per refund, never more than the order took from stock."""
    if row.restocked or not lines:
        return
    left = outstanding(session, pk(order))
    capped = [(p, min(q, left.get(p, 0))) for p, q in lines if left.get(p, 0) > 0]
    inventory.return_to_stock(session, pk(order), capped, actor=actor, note=f"Refund {row.id}")
    row.restocked = True
    session.add(row)


def refund_order(
    *,
    session: Session,
    order_id: int,
    actor: Actor,
    amount_cents: int | None = None,
    restock: bool = False,
    restock_items: Mapping[int, int] | None = None,
    cancel: bool = False,
    reason: str = "requested_by_customer",
    note: str = "",
    gateway: StripeGateway | None = None,
) -> Order:
    """Refund a paid order through Stripe (by default whatever is left), optionally putting
    goods back on the shelf (`restock` = everything, on a full refund; `restock_items` =
    {product_id: quantity}) and, with a full refund of an unshipped order, cancelling it."""
    gateway = gateway or get_gateway()
    order = orders.get_order(session=session, order_id=order_id)
    _check_refundable(order)
    remaining = order.total_cents - order.refunded_cents
    amount = remaining if amount_cents is None else amount_cents
    if not 1 <= amount <= remaining:
        raise ValidationFailed(
            f"Refund between 1 and {remaining} cents (what is left of the payment).",
            field="amount_cents",
        )
    if reason not in REASONS:
        raise ValidationFailed(f"Reason must be one of {', '.join(REASONS)}.", field="reason")
    full = amount == remaining
    if cancel and not (full and order_rules.can_cancel_with_refund(order)):
        raise ValidationFailed(
            "Only a full refund of a paid, unshipped order can cancel it.", field="cancel"
        )
    lines = _restock_lines(
        session, pk(order), full=full, restock=restock, restock_items=restock_items
    )
    namespace = installation.install_id(session)
    end_reads(session)
    info = gateway.refund(
        cast(str, order.payment_intent_id),
        amount,
        reason=reason,
        # Same order, same refunded-so-far, same amount: a retried click is the same refund.
        idempotency_key=(
            f"shopora-{namespace}-order-{order.id}-refund-{order.refunded_cents}-{amount}"
        ),
        metadata={"order_id": str(order.id), "order_number": order.number},
    )
    with transaction(session):
        order = lifecycle.locked_order(session, order_id)
        row, _new = _record_refund(
            session, order, info, actor, reason=reason, note=note.strip(), restock=lines
        )
        _restock(session, order, row, lines, actor)
        paid_back = order.payment_status == PaymentStatus.REFUNDED
        if cancel and paid_back and order.status in order_rules.CANCELLABLE_WITH_REFUND:
            lifecycle.cancel_refunded(session, order, actor, note=note.strip() or "Refunded")
    return order


def apply_refunds(
    session: Session, order_id: int, found: Sequence[RefundInfo], actor: Actor
) -> int:
    """Record Stripe's refunds of an order that are not recorded yet (joins the caller's
    transaction); returns how many were new."""
    order = lifecycle.locked_order(session, order_id)
    added = 0
    for info in found:
        if info.status in _NOT_COUNTED or info.amount <= 0:
            continue
        _row, new = _record_refund(
            session,
            order,
            info,
            actor,
            reason=info.reason or "requested_by_customer",
            note="Refund made at Stripe, recorded from Stripe.",
        )
        added += new
    return added


def mirror_refunds(
    session: Session,
    payment_intent_id: str,
    actor: Actor,
    *,
    gateway: StripeGateway | None = None,
) -> Order | None:
    """Bring the order paid by this payment intent in line with Stripe's refunds of it
    (idempotent); None if no order was paid with it."""
    order = order_for_intent(session, payment_intent_id)
    if order is None:
        return None
    end_reads(session)
    found = (gateway or get_gateway()).list_refunds(payment_intent_id)
    with transaction(session):
        apply_refunds(session, pk(order), found, actor)
    return orders.get_order(session=session, order_id=pk(order))
