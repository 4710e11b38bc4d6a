"""Fulfilling a paid Checkout Session: one idempotent function behind the return page, the
webhook and reconciliation (Stripe's recommended practice). The checks a session must pass
first live in `session_checks`; the receipt it leads to lives in `receipts` and is
re-exported here for existing importers.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from shopora.db import lock
from shopora.errors import PaymentMismatch
from shopora.models import (
    CartItem,
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    ShippingMethod,
    User,
    VerifiedVia,
)
from shopora.models.base import pk, utcnow
from shopora.payments.gateway import CheckoutSessionInfo, StripeGateway, get_gateway
from shopora.payments.receipts import PaymentRecord as PaymentRecord
from shopora.payments.receipts import Receipt as Receipt
from shopora.payments.receipts import receipt as receipt
from shopora.payments.session_checks import check_session
from shopora.payments.tx import end_reads
from shopora.services import discounts, inventory, lifecycle, orders, rollups
from shopora.services.actors import Actor
from shopora.services.pricing import shipping_cost
from shopora.services.shipping import shipping_rates
from shopora.services.uow import transaction


def user_actor(session: Session, user_id: int | None) -> Actor:
    """The signed-in person acting, or the system when nobody is."""
    user = session.get(User, user_id) if user_id is not None else None
    return Actor(user.username, user.id) if user is not None else Actor.system()


def actor_for(session: Session, via: VerifiedVia, acting_user_id: int | None) -> Actor:
    return Actor.stripe() if via == VerifiedVia.WEBHOOK else user_actor(session, acting_user_id)


# Settling (one transaction, under the order's row lock)


def _count_redemption(session: Session, order: Order, actor: Actor) -> None:
    """Count the order's discount code, never breaking the code's limits (the database
    refuses that too): a code used up meanwhile is flagged for the operator instead."""
    if not order.discount_code:
        return
    found = discounts.find_code(session, order.discount_code)
    code = lock(session, DiscountCode, pk(found)) if found is not None else None
    if code is None:
        problem = f"discount code {order.discount_code} no longer exists"
    elif session.exec(
        select(DiscountRedemption).where(DiscountRedemption.order_id == order.id)
    ).first():
        return
    elif code.max_redemptions is not None and code.redemption_count >= code.max_redemptions:
        problem = f"discount code {code.code} was used up before this payment"
    elif (
        code.once_per_customer
        and session.exec(
            select(DiscountRedemption).where(
                DiscountRedemption.discount_code_id == code.id,
                DiscountRedemption.user_id == order.user_id,
            )
        ).first()
    ):
        problem = f"the customer had already redeemed {code.code}"
    else:
        session.add(
            DiscountRedemption(
                discount_code_id=pk(code),
                order_id=pk(order),
                user_id=order.user_id,
                once_key=order.user_id if code.once_per_customer else None,
                amount_cents=_value_given(order, code),
            )
        )
        code.redemption_count += 1
        session.add(code)
        rollups.discount_redeemed(session, order, _value_given(order, code))
        return
    lifecycle.flag_attention(session, order, actor, reason=f"Discount not counted: {problem}.")


def _value_given(order: Order, code: DiscountCode) -> int:
    """What the code was worth to the customer: the amount off, or for free shipping the
    shipping they would otherwise have paid."""
    if code.kind != DiscountKind.FREE_SHIPPING:
        return order.discount_cents
    return shipping_cost(
        ShippingMethod(order.shipping_method),
        shipping_rates(),
        after_discount_cents=order.subtotal_cents - order.discount_cents,
        free=False,
    )


def _clean_cart(session: Session, order: Order, items: list[OrderItem]) -> None:
    """Take the paid quantities out of the cart; anything added since stays."""
    for item in items:
        row = session.exec(
            select(CartItem)
            .where(CartItem.user_id == order.user_id, CartItem.product_id == item.product_id)
            .with_for_update()
        ).first()
        if row is None:
            continue
        row.quantity -= item.quantity
        if row.quantity <= 0:
            session.delete(row)
        else:
            row.updated_at = utcnow()
            session.add(row)


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
    _count_redemption(session, order, actor)
    _clean_cart(session, order, items)


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
