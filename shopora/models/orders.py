"""Orders, their item snapshots and their audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from shopora.models import addresses
from shopora.models.base import utcnow
from shopora.models.status import (
    OrderStatus,
    PaymentStatus,
    ShippingMethod,
    VerifiedVia,
    values,
)

AWAITING_WHERE = "status IN ('paid', 'processing') AND paid_at IS NOT NULL"


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(f"status IN ({values(OrderStatus)})", name="ck_orders_status"),
        CheckConstraint(
            f"payment_status IN ({values(PaymentStatus)})", name="ck_orders_payment_status"
        ),
        CheckConstraint(
            f"shipping_method IN ({values(ShippingMethod)})", name="ck_orders_shipping_method"
        ),
        CheckConstraint(
            f"verified_via IS NULL OR verified_via IN ({values(VerifiedVia)})",
            name="ck_orders_verified_via",
        ),
        CheckConstraint(
            "subtotal_cents >= 0 AND discount_cents >= 0 AND shipping_cents >= 0",
            name="ck_orders_amounts_nonnegative",
        ),
        CheckConstraint("discount_cents <= subtotal_cents", name="ck_orders_discount_le_subtotal"),
        CheckConstraint(
            "total_cents = subtotal_cents - discount_cents + shipping_cents",
            name="ck_orders_total",
        ),
        CheckConstraint(
            "refunded_cents >= 0 AND refunded_cents <= total_cents", name="ck_orders_refunded"
        ),
        # A retried "place order" with the same key finds the first order.
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_user_idempotency_key"),
        # The order console (migration 0005, which also adds the full-text indexes over names
        # and emails): exact email, keyset pages, and the action queue's partial indexes.
        Index("ix_orders_email_lower", text("lower(email)")),
        Index("ix_orders_created_id", "created_at", "id"),
        Index(
            "ix_orders_awaiting",
            "paid_at",
            "id",
            sqlite_where=text(AWAITING_WHERE),
            postgresql_where=text(AWAITING_WHERE),
        ),
        Index(
            "ix_orders_attention",
            "created_at",
            "id",
            sqlite_where=text("needs_attention = 1"),
            postgresql_where=text("needs_attention"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(40), unique=True, nullable=False)
    user_id: int = Field(foreign_key="users.id", nullable=False, index=True)
    status: str = Field(default=OrderStatus.PENDING, sa_type=String(16), nullable=False, index=True)
    payment_status: str = Field(default=PaymentStatus.UNPAID, sa_type=String(20), nullable=False)
    currency: str = Field(default="usd", sa_type=String(3), nullable=False)
    subtotal_cents: int = Field(nullable=False)
    discount_cents: int = Field(default=0, nullable=False)
    shipping_cents: int = Field(default=0, nullable=False)
    total_cents: int = Field(nullable=False)
    refunded_cents: int = Field(default=0, nullable=False)

    email: str = Field(sa_type=String(254), nullable=False)
    # The shipping address as placed (addresses.ShippingAddressBase checked it, with these
    # lengths); prefixed columns, so not a subclass of that Base.
    shipping_name: str = Field(sa_type=String(addresses.MAX_NAME), nullable=False)
    shipping_line1: str = Field(sa_type=String(addresses.MAX_LINE), nullable=False)
    shipping_line2: str = Field(default="", sa_type=String(addresses.MAX_LINE), nullable=False)
    shipping_city: str = Field(sa_type=String(addresses.MAX_CITY), nullable=False)
    shipping_region: str = Field(
        default="",
        sa_type=String(addresses.MAX_REGION),
        nullable=False,
        sa_column_kwargs={"server_default": ""},
    )
    shipping_postal_code: str = Field(sa_type=String(addresses.MAX_POSTAL_CODE), nullable=False)
    shipping_country: str = Field(sa_type=String(2), nullable=False)
    shipping_method: str = Field(default=ShippingMethod.STANDARD, sa_type=String(16))
    discount_code: str | None = Field(default=None, sa_type=String(40))
    idempotency_key: str | None = Field(default=None, sa_type=String(100))
    # Same cart, address, method and code: a second "place order" finds the pending order.
    cart_fingerprint: str | None = Field(default=None, sa_type=String(64), index=True)

    stripe_session_id: str | None = Field(default=None, sa_type=String(255), unique=True)
    stripe_session_url: str | None = Field(default=None, sa_type=Text)
    stripe_session_expires_at: datetime | None = Field(default=None)
    checkout_attempt: int = Field(default=0, nullable=False)
    payment_intent_id: str | None = Field(default=None, sa_type=String(255), index=True)
    amount_paid_cents: int | None = Field(default=None)
    paid_at: datetime | None = Field(default=None, index=True)
    verified_via: str | None = Field(default=None, sa_type=String(20))

    carrier: str | None = Field(default=None, sa_type=String(60))
    tracking_number: str | None = Field(default=None, sa_type=String(80))
    processing_at: datetime | None = Field(default=None)
    shipped_at: datetime | None = Field(default=None)
    delivered_at: datetime | None = Field(default=None)
    cancelled_at: datetime | None = Field(default=None)
    needs_attention: bool = Field(default=False, nullable=False)
    attention_reason: str | None = Field(default=None, sa_type=Text)

    created_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class OrderItem(SQLModel, table=True):
    """A snapshot: later catalog edits never change what was sold."""

    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_order_items_quantity"),
        CheckConstraint("unit_price_cents > 0", name="ck_order_items_price"),
        UniqueConstraint("order_id", "product_id", name="uq_order_items_order_product"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", nullable=False, index=True)
    product_id: int = Field(foreign_key="products.id", nullable=False, index=True)
    sku: str = Field(sa_type=String(40), nullable=False)
    name: str = Field(sa_type=String(120), nullable=False)
    unit_price_cents: int = Field(nullable=False)
    quantity: int = Field(nullable=False)
    line_total_cents: int = Field(nullable=False)


class OrderEvent(SQLModel, table=True):
    """One entry of an order's audit trail: who did what, when, from which status to which."""

    __tablename__ = "order_events"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", nullable=False, index=True)
    kind: str = Field(sa_type=String(30), nullable=False)
    from_status: str | None = Field(default=None, sa_type=String(16))
    to_status: str | None = Field(default=None, sa_type=String(16))
    actor: str = Field(default="system", sa_type=String(60), nullable=False)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id")
    note: str = Field(default="", sa_type=Text, nullable=False)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
