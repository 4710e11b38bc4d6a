"""Reading an order's payment records: its payment attempts and the webhook deliveries
about it (written by shopora.payments; read here for the console and the API)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from shopora.models import PaymentAttempt, ProcessedStripeEvent


def attempts_of(session: Session, order_id: int) -> list[PaymentAttempt]:
    """An order's payment attempts, first to last."""
    statement = (
        select(PaymentAttempt)
        .where(PaymentAttempt.order_id == order_id)
        .order_by(col(PaymentAttempt.attempt), col(PaymentAttempt.id))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement).all())


def webhook_log(session: Session, order_id: int) -> list[ProcessedStripeEvent]:
    """The webhook deliveries about one order, oldest first: processed, ignored or refused,
    each with what Shopora did."""
    statement = (
        select(ProcessedStripeEvent)
        .where(ProcessedStripeEvent.order_id == order_id)
        .order_by(col(ProcessedStripeEvent.received_at), col(ProcessedStripeEvent.id))
    )
    return list(session.exec(statement).all())
