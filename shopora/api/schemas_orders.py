"""Quotes, orders, their items and their timeline."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from shopora.api.schemas_common import Text40, Text200, UtcDatetime, display, text
from shopora.models import (
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    ShippingMethod,
    VerifiedVia,
)
from shopora.models.addresses import ShippingAddressBase
from shopora.models.base import pk
from shopora.payments.fulfilment import Receipt

_ADDRESS: JsonDict = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Way",
    "line2": "",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}
_ORDER: JsonDict = {
    "id": 42,
    "number": "SO-10042",
    "status": "paid",
    "payment_status": "paid",
    "currency": "usd",
    "subtotal_cents": 25800,
    "discount_cents": 2580,
    "shipping_cents": 0,
    "total_cents": 23220,
    "refunded_cents": 0,
    "total_display": "$232.20",
    "shipping_method": "standard",
    "discount_code": "WELCOME10",
    "shipping": _ADDRESS,
    "email": "ada@example.com",
    "created_at": "2025-01-31T09:30:00Z",
    "paid_at": "2025-01-31T09:32:10Z",
    "verified_via": "api",
    "stripe_session_id": "cs_test_a1b2c3",
    "payment_intent_id": "pi_3Q2w1e",
    "amount_paid_cents": 23220,
    "carrier": None,
    "tracking_number": None,
    "shipped_at": None,
    "delivered_at": None,
    "cancelled_at": None,
}


class ShippingAddressIn(ShippingAddressBase):
    """Checked with ShippingAddressBase's rules; the orders service also checks that we ship to
    the country."""

    model_config = {"json_schema_extra": {"examples": [_ADDRESS]}}


class PlaceOrder(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"shipping": _ADDRESS, "shipping_method": "standard", "discount_code": "WELCOME10"}
            ]
        }
    }

    shipping: ShippingAddressIn
    shipping_method: ShippingMethod = ShippingMethod.STANDARD
    discount_code: Text40 | None = None
    idempotency_key: Annotated[str, text(100, 8)] | None = Field(
        default=None, description="Same as the Idempotency-Key header (the header wins)."
    )


class ShippingAddressPublic(ShippingAddressBase):
    """The address an order ships to, as stored (it was checked when the order was placed)."""


class OrderPublic(BaseModel):
    """An order with its payment state; amounts in integer cents of `currency`."""

    model_config = {"json_schema_extra": {"examples": [_ORDER]}}

    id: int
    number: str
    status: OrderStatus
    payment_status: PaymentStatus
    currency: str
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    total_cents: int
    refunded_cents: int
    total_display: str
    shipping_method: ShippingMethod
    discount_code: str | None
    shipping: ShippingAddressPublic
    email: str
    created_at: UtcDatetime
    paid_at: UtcDatetime | None
    verified_via: VerifiedVia | None = Field(description="What confirmed the payment with Stripe.")
    stripe_session_id: str | None
    payment_intent_id: str | None
    amount_paid_cents: int | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: UtcDatetime | None
    delivered_at: UtcDatetime | None
    cancelled_at: UtcDatetime | None

    @classmethod
    def fields_of(cls, order: Order) -> dict[str, Any]:
        return {
            "id": pk(order),
            "number": order.number,
            "status": order.status,
            "payment_status": order.payment_status,
            "currency": order.currency,
            "subtotal_cents": order.subtotal_cents,
            "discount_cents": order.discount_cents,
            "shipping_cents": order.shipping_cents,
            "total_cents": order.total_cents,
            "refunded_cents": order.refunded_cents,
            "total_display": display(order.total_cents, order.currency),
            "shipping_method": order.shipping_method,
            "discount_code": order.discount_code,
            # Built unchecked: the stored address passed these rules when it was placed.
            "shipping": ShippingAddressPublic.model_construct(
                name=order.shipping_name,
                line1=order.shipping_line1,
                line2=order.shipping_line2,
                city=order.shipping_city,
                region=order.shipping_region,
                postal_code=order.shipping_postal_code,
                country=order.shipping_country,
            ),
            "email": order.email,
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "verified_via": order.verified_via,
            "stripe_session_id": order.stripe_session_id,
            "payment_intent_id": order.payment_intent_id,
            "amount_paid_cents": order.amount_paid_cents,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "shipped_at": order.shipped_at,
            "delivered_at": order.delivered_at,
            "cancelled_at": order.cancelled_at,
        }

    @classmethod
    def of(cls, order: Order) -> OrderPublic:
        return cls.model_validate(cls.fields_of(order))


class OrderItemPublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product_id": 1,
                    "sku": "AUD-001",
                    "name": "Aurora Wireless Headphones",
                    "unit_price_cents": 12900,
                    "quantity": 2,
                    "line_total_cents": 25800,
                }
            ]
        }
    }

    product_id: int
    sku: str
    name: str
    unit_price_cents: int
    quantity: int
    line_total_cents: int

    @classmethod
    def of(cls, item: OrderItem) -> OrderItemPublic:
        return cls.model_validate(item, from_attributes=True)


class OrderEventPublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "paid",
                    "from_status": "pending",
                    "to_status": "paid",
                    "actor": "ada",
                    "note": "",
                    "data": {"session_id": "cs_test_a1b2c3", "amount": 23220, "via": "api"},
                    "created_at": "2025-01-31T09:32:10Z",
                }
            ]
        }
    }

    kind: str
    from_status: str | None
    to_status: str | None
    actor: str
    note: str
    data: dict[str, Any]
    created_at: UtcDatetime

    @classmethod
    def of(cls, event: OrderEvent) -> OrderEventPublic:
        return cls(
            kind=event.kind,
            from_status=event.from_status,
            to_status=event.to_status,
            actor=event.actor,
            note=event.note,
            data=dict(event.data or {}),
            created_at=event.created_at,
        )


class OrderDetail(OrderPublic):
    """An order with what was bought and what happened to it, oldest event first."""

    model_config = {"json_schema_extra": {"examples": [{**_ORDER, "items": [], "events": []}]}}

    items: list[OrderItemPublic]
    events: list[OrderEventPublic]

    @classmethod
    def from_receipt(cls, receipt: Receipt) -> OrderDetail:
        return cls.model_validate(
            {
                **cls.fields_of(receipt.order),
                "items": [OrderItemPublic.of(item) for item in receipt.items],
                "events": [OrderEventPublic.of(event) for event in receipt.events],
            }
        )


class CancelOrder(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"reason": "Ordered the wrong size."}]}}

    reason: Text200 = Field(default="Cancelled by the customer.", min_length=1)
