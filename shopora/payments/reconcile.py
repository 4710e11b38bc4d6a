"""Reconciliation: settle pending orders whose Stripe session moved on while nobody was
listening (a lost webhook, a closed tab, a server that was down).

A hold is never released while its session can still be paid: an open session is expired
at Stripe first, and only an expired one lets the order go.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shopora.config import get_settings
from shopora.db import session_scope
from shopora.errors import ShoporaError
from shopora.models import AttemptOutcome, Order, OrderStatus, VerifiedVia
from shopora.models.base import pk
from shopora.payments import checkout, fulfilment, session_checks
from shopora.payments.gateway import CheckoutSessionInfo, StripeGateway, get_gateway
from shopora.payments.tx import end_reads
from shopora.services.actors import Actor

log = logging.getLogger(__name__)

SYSTEM = Actor.system()


@dataclass
class ReconcileReport:
    """Order numbers by what happened to them."""

    fulfilled: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    expired_at_stripe: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def eventful(self) -> bool:
        return bool(self.fulfilled or self.cancelled or self.expired_at_stripe or self.errors)

    def __str__(self) -> str:
        parts = [
            f"{len(self.fulfilled)} fulfilled",
            f"{len(self.cancelled)} cancelled",
            f"{len(self.expired_at_stripe)} expired at Stripe",
            f"{len(self.still_open)} still open",
            f"{len(self.errors)} errors",
        ]
        lines = ["Reconciliation: " + ", ".join(parts) + "."]
        lines += [f"  error: {error}" for error in self.errors]
        return "\n".join(lines)


def _fulfil(session: Session, info: CheckoutSessionInfo) -> None:
    actor = fulfilment.actor_for(session, VerifiedVia.RECONCILIATION, None)
    order_id = session_checks.check_session(session, info, actor=actor)
    fulfilment.settle(session, info, order_id, VerifiedVia.RECONCILIATION, actor)


def _settle_one(
    session: Session, order: Order, gateway: StripeGateway, now: datetime, report: ReconcileReport
) -> None:
    session_id = order.stripe_session_id or ""
    end_reads(session)
    info = gateway.retrieve_session(session_id)
    if info.is_open and info.expires_at <= now:
        info = gateway.expire_session(session_id)
        if info.status == "expired":
            report.expired_at_stripe.append(order.number)
    if info.is_paid:
        _fulfil(session, info)
        report.fulfilled.append(order.number)
    elif info.status == "expired":
        reason = "The Stripe Checkout session expired before payment."
        expired = AttemptOutcome.EXPIRED
        if checkout.cancel_current(
            session, pk(order), session_id, SYSTEM, reason=reason, outcome=expired
        ):
            report.cancelled.append(order.number)
    else:  # open and not due yet, or an asynchronous payment still being processed
        report.still_open.append(order.number)


def _pending(session: Session, with_session: bool) -> list[Order]:
    column = col(Order.stripe_session_id)
    statement = select(Order).where(
        Order.status == OrderStatus.PENDING,
        column.is_not(None) if with_session else column.is_(None),
    )
    return list(session.exec(statement.order_by(col(Order.id))).all())


def _abandoned(session: Session, now: datetime) -> list[Order]:
    """Pending orders that never got a session and are old enough to let go (an attempt
    being opened right now has a planned expiry in the future, so it is left alone)."""
    cutoff = now - timedelta(minutes=get_settings().checkout_session_minutes * 2)
    return [
        order
        for order in _pending(session, with_session=False)
        if order.created_at < cutoff
        and (order.stripe_session_expires_at is None or order.stripe_session_expires_at < now)
    ]


def reconcile(
    *, session: Session, gateway: StripeGateway | None = None, now: datetime | None = None
) -> ReconcileReport:
    """One pass over every pending order: paid sessions are fulfilled, expired ones (or open
    ones past their expiry, expired at Stripe first) cancel the order and release its hold,
    and orders abandoned before any session was opened are cancelled."""
    gateway = gateway or get_gateway()
    now = now or gateway.now()
    report = ReconcileReport()
    for order in _pending(session, with_session=True):
        try:
            _settle_one(session, order, gateway, now, report)
        except ShoporaError as exc:
            report.errors.append(f"{order.number}: {exc.message}")
    for order in _abandoned(session, now):
        reason = "Abandoned before payment."
        try:
            if checkout.cancel_current(session, pk(order), None, SYSTEM, reason=reason):
                report.cancelled.append(order.number)
        except ShoporaError as exc:
            report.errors.append(f"{order.number}: {exc.message}")
    return report


def _configured_pass() -> ReconcileReport:
    with session_scope() as session:
        return reconcile(session=session, gateway=get_gateway())


def reconcile_from_cli() -> str:
    """`shopora reconcile`: one pass against the configured database and Stripe."""
    return str(_configured_pass())


def _loop(interval_seconds: float, stop: threading.Event) -> None:
    while not stop.wait(interval_seconds):
        try:
            report = _configured_pass()
        # The reconciler must outlive any one failed pass (database restarting, Stripe
        # unreachable, a bug in one order); it logs and tries again next time.
        except Exception:
            log.exception("Reconciliation pass failed")
            continue
        if report.eventful:
            log.info("%s", report)


def start_reconciler(
    interval_seconds: float, *, stop: threading.Event | None = None
) -> threading.Thread:
    """Run `reconcile` every `interval_seconds` in a daemon thread (first pass after one
    interval); set `stop` to end it."""
    thread = threading.Thread(
        target=_loop,
        args=(interval_seconds, stop or threading.Event()),
        name="shopora-reconciler",
        daemon=True,
    )
    thread.start()
    return thread
