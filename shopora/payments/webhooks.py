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
from shopora.errors import PaymentError, PaymentNotCompleted, ShoporaError
from shopora.models import EventKind, Order, ProcessedStripeEvent, VerifiedVia
from shopora.models.base import pk
from shopora.payments import checkout, fulfilment, refunds, session_checks
from shopora.payments.gateway import StripeGateway, get_gateway, verify_webhook
from shopora.payments.tx import end_reads
from shopora.services import lifecycle
from shopora.services.actors import Actor
from shopora.services.uow import transaction

log = logging.getLogger(__name__)

STRIPE = Actor.stripe()


@dataclass(frozen=True)
class Plan:
    """What an event will do: `apply` runs inside the transaction that records the event
    (no network calls in there) and returns the outcome; without it, `outcome` stands."""

    order_id: int | None
    apply: Callable[[Session], str] | None = None
    outcome: str = ""


Handler = Callable[[Session, dict[str, Any], StripeGateway], Plan]


def _order_id(session: Session, obj: dict[str, Any]) -> int | None:
    """The existing order a checkout session object names (metadata, then reference)."""
    order_id = session_checks.order_reference(
        obj.get("metadata") or {}, obj.get("client_reference_id")
    )
    if order_id is None:
        return None
    return order_id if session.get(Order, order_id) is not None else None


def _completed(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """checkout.session.completed / async_payment_succeeded: fulfil (an async payment that
    is still pending is only recorded; its async_payment_succeeded event will follow)."""
    info = gateway.retrieve_session(str(obj.get("id")))
    try:
        order_id = session_checks.check_session(session, info, actor=STRIPE)
    except PaymentNotCompleted as exc:
        return Plan(_order_id(session, obj), outcome=f"not paid yet: {exc.message}")

    def apply(db: Session) -> str:
        order = fulfilment.apply_payment(db, info, order_id, VerifiedVia.WEBHOOK, STRIPE)
        return f"order {order.number} is {order.status}"

    return Plan(order_id, apply)


def _expired(session: Session, obj: dict[str, Any], _gateway: StripeGateway) -> Plan:
    """checkout.session.expired: cancel the order and release its hold, but only if this is
    still the order's current session (an old attempt's expiry changes nothing)."""
    order_id, session_id = _order_id(session, obj), str(obj.get("id"))
    if order_id is None:
        return Plan(None, outcome="no matching order")

    def apply(db: Session) -> str:
        order = lifecycle.locked_order(db, order_id)
        reason = "The Stripe Checkout session expired before payment."
        if checkout.cancel_if_current(db, order, session_id, STRIPE, reason=reason):
            return f"order {order.number} cancelled, stock released"
        return f"order {order.number} left as {order.status} (not its current session)"

    return Plan(order_id, apply)


def _async_failed(session: Session, obj: dict[str, Any], _gateway: StripeGateway) -> Plan:
    """checkout.session.async_payment_failed: note it on the order (which stays pending; the
    customer may start a new checkout)."""
    order_id, session_id = _order_id(session, obj), str(obj.get("id"))
    if order_id is None:
        return Plan(None, outcome="no matching order")

    def apply(db: Session) -> str:
        order = lifecycle.locked_order(db, order_id)
        if order.stripe_session_id != session_id:
            return f"order {order.number}: not its current session"
        lifecycle.record_event(
            db,
            order,
            EventKind.PAYMENT_FAILED,
            STRIPE,
            note="The payment failed at Stripe.",
            data={"session_id": session_id},
        )
        return f"order {order.number}: payment failure recorded"

    return Plan(order_id, apply)


def _refunded(session: Session, obj: dict[str, Any], gateway: StripeGateway) -> Plan:
    """charge.refunded: mirror refunds made anywhere (our own, or in Stripe's dashboard)."""
    intent = obj.get("payment_intent")
    if not isinstance(intent, str) or (order := refunds.order_for_intent(session, intent)) is None:
        return Plan(None, outcome="no matching order")
    end_reads(session)
    found = gateway.list_refunds(intent)
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
}


def _seen(session: Session, event_id: str) -> bool:
    statement = select(ProcessedStripeEvent).where(ProcessedStripeEvent.event_id == event_id)
    return session.exec(statement).first() is not None


def _record(session: Session, event: dict[str, Any], plan: Plan) -> str:
    """Record the event and apply its effect in one transaction; a domain refusal inside
    the effect is recorded too (Stripe must not retry a permanent problem forever)."""
    row = ProcessedStripeEvent(event_id=event["id"], type=event["type"], order_id=plan.order_id)
    try:
        with transaction(session):
            if plan.order_id is not None:
                # Lock the order before inserting a row that references it: on PostgreSQL the
                # insert takes a key-share lock on the order, and two deliveries each holding
                # one while waiting for FOR UPDATE would deadlock.
                lifecycle.locked_order(session, plan.order_id)
            session.add(row)
            session.flush()  # a concurrent duplicate stops here (unique event_id)
            return plan.apply(session) if plan.apply else plan.outcome
    except ShoporaError as exc:
        if isinstance(exc, PaymentError):
            raise
        refused = ProcessedStripeEvent(
            event_id=event["id"], type=event["type"], order_id=plan.order_id
        )
        with transaction(session):
            session.add(refused)
        return f"refused: {exc.code}: {exc.message}"


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
    anything not signed by Stripe, PaymentError (answer 5xx, Stripe retries) when Stripe
    cannot be reached; every other outcome is final and answered 2xx."""
    event = verify_webhook(payload, sig_header, secret or get_settings().webhook_secret(), now=now)
    if _seen(session, event["id"]):
        return "duplicate"
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return "ignored"
    obj = event["data"].get("object")
    gateway = gateway or get_gateway()
    end_reads(session)
    try:
        plan = handler(session, obj if isinstance(obj, dict) else {}, gateway)
    except ShoporaError as exc:
        if isinstance(exc, PaymentError):
            raise
        plan = Plan(None, outcome=f"refused: {exc.code}: {exc.message}")
    for _ in range(2):
        try:
            outcome = _record(session, event, plan)
        except IntegrityError:
            if _seen(session, event["id"]):
                return "duplicate"
            continue  # a concurrent fulfilment won a race; the retry finds it settled
        log.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
        return outcome
    raise PaymentError("The webhook could not be recorded; Stripe will retry it.")
