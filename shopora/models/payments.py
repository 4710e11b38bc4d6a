"""Local mirrors of what happened at Stripe: refunds and processed webhook events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow
from shopora.models.status import AttemptOutcome, VerifiedVia, WebhookDisposition, values


class Refund(SQLModel, table=True):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="ck_refunds_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", nullable=False, index=True)
    stripe_refund_id: str = Field(sa_type=String(255), unique=True, nullable=False)
    amount_cents: int = Field(nullable=False)
    reason: str = Field(default="requested_by_customer", sa_type=String(40), nullable=False)
    restocked: bool = Field(default=False, nullable=False)
    actor: str = Field(default="system", sa_type=String(60), nullable=False)
    note: str = Field(default="", sa_type=Text, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)


class ProcessedStripeEvent(SQLModel, table=True):
    """Stripe delivers at least once: an event id is handled only the first time."""

    __tablename__ = "processed_stripe_events"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_type=String(255), unique=True, nullable=False)
    type: str = Field(sa_type=String(80), nullable=False)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    received_at: datetime = Field(default_factory=utcnow, nullable=False)
    # Every delivery is explained: processed, ignored (and why) or refused (and why).
    disposition: str = Field(
        default=WebhookDisposition.PROCESSED, sa_type=String(12), nullable=False
    )
    outcome: str = Field(default="", sa_type=Text, nullable=False)


class PaymentAttempt(SQLModel, table=True):
    """One Checkout Session an order opened. The order keeps only its current payment
    state; the attempts make a decline, a resumed payment and an expiry auditable."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        UniqueConstraint("order_id", "attempt", name="uq_payment_attempts_order_attempt"),
        CheckConstraint(
            f"outcome IN ({values(AttemptOutcome)})", name="ck_payment_attempts_outcome"
        ),
        CheckConstraint(
            f"verified_via IS NULL OR verified_via IN ({values(VerifiedVia)})",
            name="ck_payment_attempts_verified_via",
        ),
        CheckConstraint("amount_cents >= 0", name="ck_payment_attempts_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", nullable=False, index=True)
    attempt: int = Field(nullable=False)
    stripe_session_id: str = Field(sa_type=String(255), unique=True, nullable=False)
    amount_cents: int = Field(nullable=False)
    currency: str = Field(sa_type=String(3), nullable=False)
    # Stripe's own words for the session: open, complete or expired.
    session_status: str = Field(default="open", sa_type=String(12), nullable=False)
    outcome: str = Field(default=AttemptOutcome.OPEN, sa_type=String(12), nullable=False)
    expires_at: datetime | None = Field(default=None)
    payment_intent_id: str | None = Field(default=None, sa_type=String(255))
    verified_via: str | None = Field(default=None, sa_type=String(20))
    verified_at: datetime | None = Field(default=None)
    # Cards declined on this session (it stays open for another card).
    declines: int = Field(default=0, nullable=False)
    note: str = Field(default="", sa_type=Text, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Installation(SQLModel, table=True):
    """This install of Shopora: a random id made at the first migrate, so idempotency keys
    sent to a Stripe account shared with other installs (or an earlier database) never
    collide."""

    __tablename__ = "installation"

    id: int | None = Field(default=None, primary_key=True)
    install_id: str = Field(sa_type=String(32), nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
