"""Local mirrors of what happened at Stripe: refunds and processed webhook events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow


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
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    received_at: datetime = Field(default_factory=utcnow, nullable=False)
