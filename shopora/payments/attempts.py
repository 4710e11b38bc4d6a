"""Payment attempts: one row per Checkout Session an order opened, so a decline, a resumed
payment and an expiry are all on record. The order itself keeps only its current payment
state. Every function joins the caller's transaction."""

from __future__ import annotations

from sqlmodel import Session, select

from shopora.models import AttemptOutcome, Order, PaymentAttempt, VerifiedVia
from shopora.models.base import pk, utcnow
from shopora.payments.gateway import CheckoutSessionInfo
from shopora.services import payment_records

# Outcomes that are final: a later read of the session does not change them.
_FINAL = frozenset({AttemptOutcome.PAID, AttemptOutcome.CANCELLED, AttemptOutcome.SUPERSEDED})


def _by_session(session: Session, session_id: str) -> PaymentAttempt | None:
    statement = select(PaymentAttempt).where(PaymentAttempt.stripe_session_id == session_id)
    return session.exec(statement.execution_options(populate_existing=True)).first()


def _touch(row: PaymentAttempt, session: Session, note: str = "") -> None:
    row.updated_at = utcnow()
    if note:
        row.note = f"{row.note}\n{note}".strip()
    session.add(row)


def opened(session: Session, order: Order, info: CheckoutSessionInfo, attempt: int) -> None:
    """Record a new session for the order; earlier attempts still open are superseded
    (a new session is only opened once Stripe said the previous one can no longer be paid)."""
    for row in for_order(session, pk(order)):
        if row.outcome in (AttemptOutcome.OPEN, AttemptOutcome.EXPIRED, AttemptOutcome.FAILED):
            row.outcome = AttemptOutcome.SUPERSEDED
            _touch(row, session, f"superseded by attempt {attempt}")
    session.add(
        PaymentAttempt(
            order_id=pk(order),
            attempt=attempt,
            stripe_session_id=info.id,
            amount_cents=info.amount_total or 0,
            currency=info.currency or order.currency,
            session_status=info.status,
            expires_at=info.expires_at,
        )
    )


def settle_paid(
    session: Session, order: Order, info: CheckoutSessionInfo, via: VerifiedVia
) -> None:
    """The attempt whose payment Stripe confirmed: paid, with its payment intent."""
    row = _by_session(session, info.id)
    if row is None:  # a session opened before attempts were recorded
        row = PaymentAttempt(
            order_id=pk(order),
            attempt=max(order.checkout_attempt, 1),
            stripe_session_id=info.id,
            amount_cents=info.amount_total or 0,
            currency=info.currency or order.currency,
        )
    row.session_status, row.outcome = info.status, AttemptOutcome.PAID
    row.payment_intent_id = info.payment_intent
    row.verified_via, row.verified_at = via, utcnow()
    _touch(row, session)


def observe(session: Session, info: CheckoutSessionInfo) -> None:
    """What Stripe says of a session now (expired, still open) on its attempt."""
    row = _by_session(session, info.id)
    if row is None or row.outcome in _FINAL:
        return
    row.session_status = info.status
    if info.status == "expired":
        row.outcome = AttemptOutcome.EXPIRED
    _touch(row, session)


def failed(session: Session, session_id: str, note: str) -> None:
    """Stripe reported the attempt's (asynchronous) payment as failed."""
    row = _by_session(session, session_id)
    if row is None or row.outcome in _FINAL:
        return
    row.outcome = AttemptOutcome.FAILED
    _touch(row, session, note)


def declined(session: Session, order: Order, note: str) -> None:
    """A card was declined on the order's current (still open) session: on record, while
    the session stays payable with another card."""
    row = _by_session(session, order.stripe_session_id or "")
    if row is None or row.outcome != AttemptOutcome.OPEN:
        return
    row.declines += 1
    _touch(row, session, note)


def close_open(session: Session, order_id: int, outcome: AttemptOutcome, note: str) -> None:
    """The order was cancelled or its session expired: its open attempts end with it."""
    for row in for_order(session, order_id):
        if row.outcome == AttemptOutcome.OPEN:
            row.outcome = outcome
            if outcome == AttemptOutcome.EXPIRED:
                row.session_status = "expired"
            _touch(row, session, note)


def for_order(session: Session, order_id: int) -> list[PaymentAttempt]:
    """An order's attempts, first to last."""
    return payment_records.attempts_of(session, order_id)
