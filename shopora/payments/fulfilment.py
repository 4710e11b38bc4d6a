"""Fulfilling a paid Checkout Session: one idempotent function behind the return page, the
webhook and reconciliation (Stripe's recommended practice). The checks a session must pass
first live in `session_checks`; the receipt it leads to lives in `receipts` and is
re-exported here for existing importers.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from shopora.errors import PaymentMismatch
from shopora.models import Order, OrderStatus, PaymentStatus, User, VerifiedVia
from shopora.models.base import pk, utcnow
from shopora.payments import attempts
from shopora.payments.gateway import CheckoutSessionInfo, StripeGateway, get_gateway
from shopora.payments.receipts import PaymentRecord as PaymentRecord
from shopora.payments.receipts import Receipt as Receipt
from shopora.payments.receipts import receipt as receipt
from shopora.payments.session_checks import check_session
from shopora.payments.tx import end_reads
from shopora.services import cart, discounts, inventory, lifecycle, orders, rollups
from shopora.services.actors import Actor
from shopora.services.uow import transaction


def user_actor(session: Session, user_id: int | None) -> Actor:
    """The signed-in person acting, or the system when nobody is."""
    user = session.get(User, user_id) if user_id is not None else None
    return Actor(user.username, user.id) if user is not None else Actor.system()


def actor_for(session: Session, via: VerifiedVia, acting_user_id: int | None) -> Actor:
    return Actor.stripe() if via == VerifiedVia.WEBHOOK else user_actor(session, acting_user_id)


# Settling (one transaction, under the order's row lock)


def _pay(
    session: Session, order: Order, info: CheckoutSessionInfo, via: VerifiedVia, actor: Actor
) -> None:
    lifecycle.mark_paid(
        session,
        order,
        actor,
        via=via,
        session_id=info.id,
        payment_intent_id=info.payment_intent,
        amount_cents=order.total_cents,
        paid_at=utcnow(),
    )
    items = orders.order_items(session=session, order_id=pk(order))
    lines = [(item.product_id, item.quantity) for item in items]
    shortfalls = inventory.commit(session, pk(order), lines, actor=actor)
    if shortfalls:
        short = ", ".join(f"{s.name} (paid {s.wanted}, {s.available} left)" for s in shortfalls)
        lifecycle.flag_attention(
            session,
            order,
            actor,
            reason=f"oversold: {short}",
            data={"shortfalls": [s.product_id for s in shortfalls]},
        )
    problem = discounts.redeem(session, order)
    if problem is not None:
        lifecycle.flag_attention(session, order, actor, reason=f"Discount not counted: {problem}.")
    cart.remove_bought(session, order.user_id, lines)
    attempts.settle_paid(session, order, info, via)


def _paid_after_cancel(
    session: Session, order: Order, info: CheckoutSessionInfo, via: VerifiedVia, actor: Actor
) -> None:
    """Money arrived for an order that was cancelled meanwhile: keep it cancelled (its hold
    is gone and nothing ships), record the payment so it can be refunded, and flag it."""
    order.payment_status = PaymentStatus.PAID
    order.payment_intent_id = info.payment_intent
    order.amount_paid_cents = info.amount_total
    order.paid_at = utcnow()
    order.verified_via = via
    order.updated_at = utcnow()
    session.add(order)
    rollups.order_paid(session, order)
    attempts.settle_paid(session, order, info, via)
    lifecycle.flag_attention(
        session,
        order,
        actor,
        reason=f"Paid after it was cancelled (Stripe session {info.id}): refund the payment.",
        data={"session_id": info.id, "payment_intent": info.payment_intent},
    )


def apply_payment(
    session: Session, info: CheckoutSessionInfo, order_id: int, via: VerifiedVia, actor: Actor
) -> Order:
    """Settle a checked, paid session under the order's row lock; joins the caller's
    transaction. A second call finds the order settled and changes nothing."""
    order = lifecycle.locked_order(session, order_id)
    if order.stripe_session_id != info.id:
        raise PaymentMismatch(f"That is not the payment session of {order.number}.")
    if order.status == OrderStatus.PENDING:
        _pay(session, order, info, via, actor)
    elif order.status == OrderStatus.CANCELLED and order.payment_status == PaymentStatus.UNPAID:
        _paid_after_cancel(session, order, info, via, actor)
    return order


def settle(
    session: Session, info: CheckoutSessionInfo, order_id: int, via: VerifiedVia, actor: Actor
) -> Order:
    """`apply_payment` in its own transaction. The row lock serialises concurrent calls; if
    a race still trips a unique constraint (PostgreSQL), the winner's result is returned."""
    try:
        with transaction(session):
            return apply_payment(session, info, order_id, via, actor)
    except IntegrityError:
        order = orders.get_order(session=session, order_id=order_id)
        if order.stripe_session_id == info.id and order.payment_status != PaymentStatus.UNPAID:
            return order
        raise


def fulfill_checkout(
    *,
    session: Session,
    stripe_session_id: str,
    via: VerifiedVia,
    acting_user_id: int | None = None,
    order_id: int | None = None,
    gateway: StripeGateway | None = None,
) -> Order:
    """Verify a Checkout Session with Stripe and settle its order: mark paid, turn the hold
    into a sale, count the discount, clean the cart, all in one transaction. Safe to call
    any number of times, concurrently: the first call settles, the others return the order.

    `acting_user_id` (the return page's signed-in customer) and `order_id` (the order the
    caller expects) narrow whose session it may be. If the order was cancelled before the
    payment arrived it stays cancelled, is marked as paid-and-needing-a-refund and flagged
    for the operator (goods are not taken from stock for a cancelled order).
    """
    gateway = gateway or get_gateway()
    end_reads(session)
    info = gateway.retrieve_session(stripe_session_id)
    actor = actor_for(session, via, acting_user_id)
    target = check_session(
        session, info, actor=actor, acting_user_id=acting_user_id, expected_order_id=order_id
    )
    return settle(session, info, target, via, actor)
