"""Opening a Stripe Checkout for a pending order, and cancelling an unpaid order.

Invariant: an order has at most one session that can still be paid. A new session is only
created once Stripe says the previous one is expired (or its payment failed), and
concurrent requests for the same attempt send identical parameters under the same
idempotency key, so Stripe hands them all the same session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from shopora.errors import (
    IllegalTransition,
    InvalidDiscountCode,
    PaymentError,
    PaymentNotCompleted,
)
from shopora.models import AttemptOutcome, EventKind, Order, OrderEvent, OrderStatus, VerifiedVia
from shopora.models.base import pk, utcnow
from shopora.payments import attempts, fulfilment
from shopora.payments.gateway import (
    MIN_LIFETIME_SECONDS,
    CheckoutSessionInfo,
    StripeGateway,
    get_gateway,
)
from shopora.payments.tx import end_reads
from shopora.services import discounts, installation, lifecycle, order_rules, orders
from shopora.services.actors import Actor
from shopora.services.uow import transaction

# A claimed attempt is retried with its own (already sent) expires_at only while Stripe would
# still accept that value for a brand-new session.
_REUSE_MARGIN = timedelta(seconds=MIN_LIFETIME_SECONDS + 5)


@dataclass(frozen=True)
class CheckoutStart:
    """Where to send the customer to pay."""

    order_id: int
    number: str
    session_id: str
    url: str
    expires_at: datetime


def _pending(session: Session, order_id: int, user_id: int | None) -> Order:
    order = orders.get_order(session=session, order_id=order_id, user_id=user_id)
    ensure_pending(order)
    return order


def ensure_pending(order: Order) -> None:
    if order.status == OrderStatus.PAID:
        raise IllegalTransition(f"Order {order.number} is already paid.")
    if not order_rules.can_pay(order):
        raise IllegalTransition(f"Order {order.number} is {order.status}; it cannot be paid.")


def _start(order: Order, info: CheckoutSessionInfo) -> CheckoutStart:
    if not info.url:
        raise PaymentError("Stripe did not return a payment page for this session.")
    return CheckoutStart(pk(order), order.number, info.id, info.url, info.expires_at)


def _stored_start(order: Order) -> CheckoutStart:
    if not (order.stripe_session_id and order.stripe_session_url):
        raise PaymentError("The payment session has no payment page.")
    expires_at = order.stripe_session_expires_at or utcnow()
    return CheckoutStart(
        pk(order), order.number, order.stripe_session_id, order.stripe_session_url, expires_at
    )


def payment_failed(session: Session, order_id: int, session_id: str) -> bool:
    """Stripe told us (async_payment_failed) that this session's payment failed."""
    statement = select(OrderEvent).where(
        OrderEvent.order_id == order_id, OrderEvent.kind == EventKind.PAYMENT_FAILED
    )
    return any(e.data.get("session_id") == session_id for e in session.exec(statement).all())


def _settled_elsewhere(
    session: Session, order: Order, info: CheckoutSessionInfo, gateway: StripeGateway
) -> None:
    """Refuse to replace a session whose payment went through (fulfilling it) or is still
    being processed; return when a new session may be opened."""
    if info.is_paid:
        fulfilment.fulfill_checkout(
            session=session,
            stripe_session_id=info.id,
            via=VerifiedVia.RECONCILIATION,
            gateway=gateway,
        )
        raise IllegalTransition(f"Order {order.number} is already paid.")
    if info.status == "complete" and not payment_failed(session, pk(order), info.id):
        raise PaymentNotCompleted(
            f"The payment for {order.number} is still being processed; "
            "the order updates as soon as Stripe confirms it."
        )


def _claim_attempt(
    session: Session, order_id: int, replacing: str | None, gateway: StripeGateway
) -> CheckoutStart | tuple[int, datetime]:
    """Under the order's lock: the attempt number and expiry to open a session with, or
    the session a concurrent request has opened meanwhile."""
    with transaction(session):
        order = lifecycle.locked_order(session, order_id)
        ensure_pending(order)
        if order.stripe_session_id and order.stripe_session_id != replacing:
            return _stored_start(order)
        if not discounts.holds_use(session, order):
            # No paid order ever gets a discount that was not held for it.
            raise InvalidDiscountCode(
                f"{order.discount_code} is no longer available for {order.number}; cancel it "
                "and place the order again.",
                reason="used_up",
            )
        planned = order.stripe_session_expires_at
        in_flight = order.stripe_session_id is None and order.checkout_attempt > 0
        if in_flight and planned is not None and planned >= gateway.now() + _REUSE_MARGIN:
            return order.checkout_attempt, planned
        order.checkout_attempt += 1
        order.stripe_session_id = order.stripe_session_url = None
        order.stripe_session_expires_at = gateway.planned_expiry()
        order.updated_at = utcnow()
        session.add(order)
        return order.checkout_attempt, order.stripe_session_expires_at


def _record_session(
    session: Session,
    order_id: int,
    info: CheckoutSessionInfo,
    attempt: int,
    actor: Actor,
) -> CheckoutStart | None:
    """Store the new session on the order; None if the order moved on meanwhile."""
    with transaction(session):
        order = lifecycle.locked_order(session, order_id)
        if order.stripe_session_id == info.id:
            return _stored_start(order)
        current = order.status == OrderStatus.PENDING and order.checkout_attempt == attempt
        if not current or order.stripe_session_id is not None:
            return None
        order.stripe_session_id, order.stripe_session_url = info.id, info.url
        order.stripe_session_expires_at = info.expires_at
        order.updated_at = utcnow()
        session.add(order)
        data = {
            "session_id": info.id,
            "attempt": attempt,
            "expires_at": info.expires_at.isoformat(),
        }
        lifecycle.record_event(session, order, EventKind.PAYMENT_STARTED, actor, data=data)
        attempts.opened(session, order, info, attempt)
    return _start(order, info)


def start_checkout(
    *,
    session: Session,
    order_id: int,
    user_id: int | None,
    gateway: StripeGateway | None = None,
) -> CheckoutStart:
    """The hosted payment page for a pending order: its open session (a double click or a
    second tab reuses it), or a new one once the previous session has expired."""
    gateway = gateway or get_gateway()
    order = _pending(session, order_id, user_id)
    end_reads(session)
    if order.stripe_session_id:
        current = gateway.retrieve_session(order.stripe_session_id)
        if current.is_open:
            return _start(order, current)
        _settled_elsewhere(session, order, current, gateway)
    plan = _claim_attempt(session, order_id, order.stripe_session_id, gateway)
    if isinstance(plan, CheckoutStart):
        return plan
    attempt, expires_at = plan
    order = orders.get_order(session=session, order_id=order_id)
    items = orders.order_items(session=session, order_id=order_id)
    namespace = installation.install_id(session)
    end_reads(session)
    info = gateway.create_checkout_session(
        order, items, attempt=attempt, namespace=namespace, expires_at=expires_at
    )
    started = _record_session(
        session, order_id, info, attempt, fulfilment.user_actor(session, user_id)
    )
    if started is None:
        # Cancelled (or superseded) while Stripe was answering: this session must not be paid.
        gateway.expire_session(info.id)
        raise IllegalTransition(f"Order {order.number} changed meanwhile; it cannot be paid.")
    return started


def cancel_if_current(
    session: Session,
    order: Order,
    session_id: str | None,
    actor: Actor,
    *,
    reason: str,
    outcome: AttemptOutcome = AttemptOutcome.CANCELLED,
) -> bool:
    """Cancel a locked pending order whose current session is `session_id` (None: it has
    none), releasing its hold; False if the order has moved on. Joins the caller's
    transaction."""
    if order.status != OrderStatus.PENDING or order.stripe_session_id != session_id:
        return False
    lifecycle.cancel_pending(session, order, actor, reason=reason)
    attempts.close_open(session, pk(order), outcome, reason)
    return True


def cancel_current(
    session: Session,
    order_id: int,
    session_id: str | None,
    actor: Actor,
    *,
    reason: str,
    outcome: AttemptOutcome = AttemptOutcome.CANCELLED,
) -> bool:
    """`cancel_if_current` in its own transaction."""
    with transaction(session):
        order = lifecycle.locked_order(session, order_id)
        return cancel_if_current(session, order, session_id, actor, reason=reason, outcome=outcome)


def close_session(
    session: Session, order: Order, session_id: str, gateway: StripeGateway
) -> CheckoutSessionInfo:
    """Make sure a pending order's session can no longer be paid (expiring it at Stripe if
    it is open). Raises IllegalTransition (after fulfilling) if it was paid, and
    PaymentNotCompleted while an asynchronous payment is still being processed."""
    final = gateway.expire_session(session_id)
    _settled_elsewhere(session, order, final, gateway)
    return final


def cancel_order(
    *,
    session: Session,
    order_id: int,
    actor: Actor,
    user_id: int | None = None,
    reason: str,
    gateway: StripeGateway | None = None,
) -> Order:
    """Cancel an unpaid order: its Stripe session is expired first (so it cannot be paid
    afterwards), then the order is cancelled and its held stock released."""
    gateway = gateway or get_gateway()
    for _ in range(3):
        order = _pending(session, order_id, user_id)
        session_id = order.stripe_session_id
        end_reads(session)
        if session_id:
            close_session(session, order, session_id, gateway)
        if cancel_current(session, order_id, session_id, actor, reason=reason):
            return orders.get_order(session=session, order_id=order_id)
    raise IllegalTransition("The order kept changing while we cancelled it; try again.")
