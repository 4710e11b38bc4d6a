"""Stripe webhooks: verify → de-duplicate on the event id → dispatch by type → idempotent
handler. The event id is recorded in the same transaction as the handler's effect, so an
event is handled exactly once even when Stripe delivers it twice at the same moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from shopora.config import get_settings
from shopora.errors import NotFound, PaymentError, PaymentNotCompleted, ShoporaError
from shopora.models import (
    AttemptOutcome,
    EventKind,
    Order,
    OrderStatus,
    ProcessedStripeEvent,
    VerifiedVia,
    WebhookDisposition,
)
from shopora.models.base import pk
from shopora.payments import attempts, checkout, fulfilment, refunds, session_checks, stripe_ids
from shopora.payments.gateway import (
    CheckoutSessionInfo,
    StripeGateway,
    get_gateway,
    verify_webhook,
)
from shopora.payments.tx import end_reads
from shopora.services import lifecycle
from shopora.services.actors import Actor
from shopora.services.uow import transaction

log = logging.getLogger(__name__)

STRIPE = Actor.stripe()


@dataclass(frozen=True)
class Plan:
    """What an event will do: `apply` runs inside the transaction that records the event
    (no network calls in there) and returns the outcome; without it, `outcome` stands.
    `disposition` says whether the event was acted on, ignored or refused."""

    order_id: int | None
    apply: Callable[[Session], str] | None = None
    outcome: str = ""
    disposition: WebhookDisposition = WebhookDisposition.PROCESSED


def _ignored(outcome: str, order_id: int | None = None) -> Plan:
    return Plan(order_id, outcome=outcome, disposition=WebhookDisposition.IGNORED)


Handler = Callable[[Session, dict[str, Any], StripeGateway], Plan]


def _order_id(session: Session, info: CheckoutSessionInfo) -> int | None:
    """The existing order a checkout session names (metadata, then reference), as Stripe
    says it now."""
    order_id = session_checks.order_reference(info.metadata, info.client_reference_id)
    if order_id is None:
        return None
    return order_id if session.get(Order, order_id) is not None else None


def _session_of(obj: dict[str, Any], gateway: StripeGateway) -> CheckoutSessionInfo | Plan:
    """The event's Checkout Session, read fresh from Stripe (an event is a hint to look,
    never the truth itself); an ignored plan when its id cannot exist."""
    session_id = obj.get("id")
    if not stripe_ids.is_session_id(session_id):
        return _ignored(f"ignored: malformed session id {stripe_ids.shown(session_id)}")
    try:
        return gateway.retrieve_session(str(session_id))
    except NotFound:
        return _ignored(f"ignored: Stripe has no session {session_id}")


def _completed(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """checkout.session.completed / async_payment_succeeded: fulfil (an async payment that
    is still pending is only recorded; its async_payment_succeeded event will follow)."""
    info = _session_of(obj, gateway)
    if isinstance(info, Plan):
        return info
    return _fulfil(session, info)


def _fulfil(session: Session, info: CheckoutSessionInfo) -> Plan:
    try:
        order_id = session_checks.check_session(session, info, actor=STRIPE)
    except PaymentNotCompleted as exc:
        return _ignored(f"not paid yet: {exc.message}", _order_id(session, info))

    def apply(db: Session) -> str:
        order = fulfilment.apply_payment(db, info, order_id, VerifiedVia.WEBHOOK, STRIPE)
        return f"order {order.number} is {order.status}"

    return Plan(order_id, apply)


def _expired(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """checkout.session.expired: cancel the order and release its holds, but only once
    Stripe itself says the session is expired and only if it is still the order's current
    session. A session Stripe reports paid is fulfilled instead; an open one changes
    nothing (the customer can still pay it)."""
    info = _session_of(obj, gateway)
    if isinstance(info, Plan):
        return info
    if info.is_paid:
        return _fulfil(session, info)
    order_id = _order_id(session, info)
    if order_id is None:
        return _ignored("ignored: no matching order")
    if info.status != "expired":
        return _ignored(
            f"ignored: Stripe says session {info.id} is {info.status}, not expired", order_id
        )

    def apply(db: Session) -> str:
        order = lifecycle.locked_order(db, order_id)
        attempts.observe(db, info)
        reason = "The Stripe Checkout session expired before payment."
        expired = AttemptOutcome.EXPIRED
        if checkout.cancel_if_current(db, order, info.id, STRIPE, reason=reason, outcome=expired):
            return f"order {order.number} cancelled, holds released"
        return f"order {order.number} left as {order.status} (not its current session)"

    return Plan(order_id, apply)


def _async_failed(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """checkout.session.async_payment_failed: note it on a pending order whose current
    session it is (the customer may start a new checkout). For an order that has moved on,
    it is history that would mislead: it goes on the webhook log only."""
    info = _session_of(obj, gateway)
    if isinstance(info, Plan):
        return info
    order_id = _order_id(session, info)
    if order_id is None:
        return _ignored("ignored: no matching order")
    if info.payment_status == "paid":
        return _ignored(f"ignored: Stripe says session {info.id} is paid", order_id)

    def apply(db: Session) -> str:
        order = lifecycle.locked_order(db, order_id)
        if order.status != OrderStatus.PENDING or order.stripe_session_id != info.id:
            return f"ignored: order {order.number} is {order.status}; not its current session"
        lifecycle.record_event(
            db,
            order,
            EventKind.PAYMENT_FAILED,
            STRIPE,
            note="The payment failed at Stripe.",
            data={"session_id": info.id},
        )
        attempts.failed(db, info.id, "Stripe reported the payment as failed.")
        return f"order {order.number}: payment failure recorded"

    return Plan(order_id, apply)


def _intent_failed(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """payment_intent.payment_failed: a card was declined on the hosted page. The session
    stays open (another card may pay it), so only the attempt and the pending order's
    timeline note it, as Stripe reports the payment now."""
    intent_id = obj.get("id")
    if not stripe_ids.is_payment_intent_id(intent_id):
        return _ignored(f"ignored: malformed payment intent {stripe_ids.shown(intent_id)}")
    try:
        intent = gateway.retrieve_payment_intent(str(intent_id))
    except NotFound:
        return _ignored(f"ignored: Stripe has no payment {intent_id}")
    order_id = intent.order_id
    if order_id is None or session.get(Order, order_id) is None:
        return _ignored("ignored: no matching order")
    if intent.status == "succeeded" or intent.decline is None:
        return _ignored(f"ignored: Stripe says payment {intent.id} is {intent.status}", order_id)
    note = f"Card declined at Stripe: {intent.decline}"

    def apply(db: Session) -> str:
        order = lifecycle.locked_order(db, order_id)
        if order.status != OrderStatus.PENDING:
            return f"ignored: order {order.number} is {order.status}"
        data = {"payment_intent": intent.id, "decline": intent.decline}
        lifecycle.record_event(db, order, EventKind.PAYMENT_FAILED, STRIPE, note=note, data=data)
        attempts.declined(db, order, note)
        return f"order {order.number}: decline recorded, still payable"

    return Plan(order_id, apply)


def _refunded(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """charge.refunded: mirror refunds made anywhere (our own, or in Stripe's dashboard),
    as Stripe lists them now."""
    intent = obj.get("payment_intent")
    if not stripe_ids.is_payment_intent_id(intent):
        return _ignored(f"ignored: malformed payment intent {stripe_ids.shown(intent)}")
    order = refunds.order_for_intent(session, str(intent))
    if order is None:
        return _ignored("ignored: no matching order")
    end_reads(session)
    try:
        found = gateway.list_refunds(str(intent))
    except NotFound:
        return _ignored(f"ignored: Stripe has no payment {intent}", pk(order))
    order_id = pk(order)

    def apply(db: Session) -> str:
        added = refunds.apply_refunds(db, order_id, found, STRIPE)
        return f"{added} refund(s) mirrored"

    return Plan(order_id, apply)


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": _completed,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _expired,
    "charge.refunded": _refunded,
    "payment_intent.payment_failed": _intent_failed,
}


def _seen(session: Session, event_id: str) -> bool:
    statement = select(ProcessedStripeEvent).where(ProcessedStripeEvent.event_id == event_id)
    return session.exec(statement).first() is not None


def _row(key: str, event_type: str, plan: Plan, outcome: str) -> ProcessedStripeEvent:
    return ProcessedStripeEvent(
        event_id=key,
        type=event_type,
        order_id=plan.order_id,
        disposition=plan.disposition,
        outcome=outcome[:2000],
    )


def _record(session: Session, key: str, event_type: str, plan: Plan) -> str:
    """Record the event and apply its effect in one transaction; a domain refusal inside
    the effect is recorded too (Stripe must not retry a permanent problem forever)."""
    try:
        with transaction(session):
            if plan.order_id is not None:
                # Lock the order before inserting a row that references it: on PostgreSQL the
                # insert takes a key-share lock on the order, and two deliveries each holding
                # one while waiting for FOR UPDATE would deadlock.
                lifecycle.locked_order(session, plan.order_id)
            row = _row(key, event_type, plan, plan.outcome)
            session.add(row)
            session.flush()  # a concurrent duplicate stops here (unique event_id)
            if plan.apply is None:
                return plan.outcome
            outcome = plan.apply(session)
            if outcome.startswith("ignored"):
                row.disposition = WebhookDisposition.IGNORED
            row.outcome = outcome[:2000]
            session.add(row)
            return outcome
    except ShoporaError as exc:
        if isinstance(exc, PaymentError):
            raise
        outcome = f"refused: {exc.code}: {exc.message}"
        refused = Plan(plan.order_id, disposition=WebhookDisposition.REFUSED)
        with transaction(session):
            session.add(_row(key, event_type, refused, outcome))
        return outcome


def _plan(session: Session, event: dict[str, Any], gateway: StripeGateway | None) -> Plan:
    event_type = event["type"]
    handler = HANDLERS.get(event_type) if stripe_ids.is_event_type(event_type) else None
    if handler is None:
        return _ignored(f"ignored: not a type Shopora acts on ({stripe_ids.shown(event_type)})")
    obj = event["data"].get("object")
    end_reads(session)
    try:
        return handler(session, obj if isinstance(obj, dict) else {}, gateway or get_gateway())
    except ShoporaError as exc:
        if isinstance(exc, PaymentError):
            raise
        return Plan(
            None,
            outcome=f"refused: {exc.code}: {exc.message}",
            disposition=WebhookDisposition.REFUSED,
        )


def handle_webhook(
    *,
    session: Session,
    payload: bytes,
    sig_header: str | None,
    gateway: StripeGateway | None = None,
    now: float | None = None,
    secret: str | None = None,
) -> str:
    """Handle one delivery; returns what happened. Raises InvalidWebhook (answer 400) for
    anything not signed by Stripe, PaymentError (answer 5xx, Stripe retries) only for a
    transient failure (Stripe unreachable); every other outcome is final, recorded with
    its disposition, and answered 2xx."""
    event = verify_webhook(payload, sig_header, secret or get_settings().webhook_secret(), now=now)
    key = stripe_ids.event_key(event["id"])
    event_type = event["type"] if stripe_ids.is_event_type(event["type"]) else "malformed"
    if _seen(session, key):
        return "duplicate"
    if key != event["id"]:
        plan = _ignored(f"ignored: malformed event id {stripe_ids.shown(event['id'])}")
    else:
        plan = _plan(session, event, gateway)
    for _ in range(2):
        try:
            outcome = _record(session, key, event_type, plan)
        except IntegrityError:
            session.rollback()
            if _seen(session, key):
                return "duplicate"
            continue  # a concurrent fulfilment won a race; the retry finds it settled
        log.info("Stripe event %s (%s): %s", key, event_type, outcome)
        return outcome
    raise PaymentError("The webhook could not be recorded; Stripe will retry it.")
