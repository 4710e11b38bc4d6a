"""The plain frozen dataclasses the gateway returns, and their conversion from Stripe objects,
so the rest of Shopora never sees a Stripe object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import stripe


@dataclass(frozen=True)
class CheckoutSessionInfo:
    id: str
    status: str
    payment_status: str
    amount_total: int | None
    amount_subtotal: int | None
    currency: str | None
    client_reference_id: str | None
    metadata: dict[str, str]
    payment_intent: str | None
    url: str | None
    expires_at: datetime
    customer_email: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_paid(self) -> bool:
        return self.status == "complete" and self.payment_status == "paid"


@dataclass(frozen=True)
class RefundInfo:
    id: str
    amount: int
    status: str | None
    payment_intent: str | None
    reason: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentIntentInfo:
    """A payment as Stripe reports it; `decline` says why the last attempt failed."""

    id: str
    status: str
    amount: int
    currency: str
    metadata: dict[str, str]
    decline: str | None

    @property
    def order_id(self) -> int | None:
        raw = self.metadata.get("order_id", "")
        return int(raw) if raw.isdigit() else None


def _intent_id(value: Any) -> str | None:
    """An expandable `payment_intent`: an id, an expanded object, or null."""
    if value is None or isinstance(value, str):
        return value
    return str(value.id)


def _strings(obj: stripe.StripeObject | None) -> dict[str, str]:
    values = obj.to_dict() if obj is not None else {}
    return {str(key): str(value) for key, value in values.items()}


def session_info(session: stripe.checkout.Session) -> CheckoutSessionInfo:
    details = session.customer_details
    return CheckoutSessionInfo(
        id=session.id,
        status=str(session.status),
        payment_status=str(session.payment_status),
        amount_total=session.amount_total,
        amount_subtotal=session.amount_subtotal,
        currency=session.currency,
        client_reference_id=session.client_reference_id,
        metadata=_strings(session.metadata),
        payment_intent=_intent_id(session.payment_intent),
        url=session.url,
        expires_at=datetime.fromtimestamp(session.expires_at, UTC),
        customer_email=session.customer_email or (details.email if details else None),
    )


def refund_info(refund: stripe.Refund) -> RefundInfo:
    return RefundInfo(
        id=refund.id,
        amount=refund.amount,
        status=refund.status,
        payment_intent=_intent_id(refund.payment_intent),
        reason=refund.reason,
        metadata=_strings(refund.metadata),
    )


def intent_info(intent: stripe.PaymentIntent) -> PaymentIntentInfo:
    error = intent.last_payment_error
    decline = None
    if error is not None:
        reason = error.decline_code or error.code or "declined"
        decline = f"{error.message or 'The payment was declined.'} ({reason})"
    return PaymentIntentInfo(
        id=intent.id,
        status=str(intent.status),
        amount=intent.amount,
        currency=intent.currency,
        metadata=_strings(intent.metadata),
        decline=decline,
    )
