"""Every status and kind the domain knows, in one place."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "customer"
    OPERATOR = "operator"
    ANALYST = "analyst"


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class ShippingMethod(StrEnum):
    STANDARD = "standard"
    EXPRESS = "express"


class DiscountKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"
    FREE_SHIPPING = "free_shipping"


class ReservationStatus(StrEnum):
    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"


class AttemptOutcome(StrEnum):
    """What became of one Checkout Session an order opened (a payment attempt)."""

    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class WebhookDisposition(StrEnum):
    """What Shopora did with one webhook delivery."""

    PROCESSED = "processed"
    IGNORED = "ignored"
    REFUSED = "refused"


class MovementReason(StrEnum):
    SALE = "sale"
    RESTOCK = "restock"
    ADJUSTMENT = "adjustment"
    REFUND = "refund"
    SEED = "seed"


class VerifiedVia(StrEnum):
    RETURN_PAGE = "return_page"
    WEBHOOK = "webhook"
    RECONCILIATION = "reconciliation"
    API = "api"


class EventKind(StrEnum):
    PLACED = "placed"
    PAYMENT_STARTED = "payment_started"
    PAID = "paid"
    PAYMENT_MISMATCH = "payment_mismatch"
    PAYMENT_FAILED = "payment_failed"
    NEEDS_ATTENTION = "needs_attention"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    NOTE = "note"


def values(enum: type[StrEnum]) -> str:
    """SQL list of an enum's values, for CHECK constraints."""
    return ", ".join(f"'{member.value}'" for member in enum)
