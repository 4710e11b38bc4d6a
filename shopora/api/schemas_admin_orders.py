"""The operator's order console: search rows, full detail, and action bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field
from pydantic.config import JsonDict

from shopora.api.schemas_common import (
    MAX_CENTS,
    BodyBool,
    BodyInt,
    Text200,
    Text2000,
    UtcDatetime,
    display,
    text,
)
from shopora.api.schemas_orders import OrderEventPublic, OrderItemPublic, OrderPublic
from shopora.models import (
    OrderStatus,
    PaymentAttempt,
    PaymentStatus,
    ProcessedStripeEvent,
    Refund,
)
from shopora.payments.gateway import RefundReason
from shopora.services.admin_order_filter import MAX_PER_PAGE, OrderSort
from shopora.services.admin_orders import CustomerContext, OrderDetail, OrderPage, OrderRow

_ROW: JsonDict = {
    "id": 42,
    "number": "SO-10042",
    "created_at": "2025-01-31T09:30:00Z",
    "paid_at": "2025-01-31T09:32:10Z",
    "customer_name": "Ada Lovelace",
    "email": "ada@example.com",
    "status": "paid",
    "payment_status": "paid",
    "items": 2,
    "total_cents": 23220,
    "refunded_cents": 0,
    "total_display": "$232.20",
    "currency": "usd",
    "needs_attention": False,
}


class AdminOrderQuery(BaseModel):
    """Filters for `GET /admin/orders`; dates are UTC timestamps, half-open [from, to)."""

    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None
    date_from: AwareDatetime | None = Field(default=None, examples=["2025-01-01T00:00:00Z"])
    date_to: AwareDatetime | None = Field(default=None, examples=["2025-02-01T00:00:00Z"])
    q: Annotated[str, text(200)] = Field(
        default="",
        description="An order number or an email address (exact, any case), or part of the "
        "customer's name or email.",
    )
    needs_attention: bool | None = None
    sort: OrderSort = "newest"
    per_page: int = Field(default=50, ge=1, le=MAX_PER_PAGE)
    after: str | None = Field(
        default=None,
        max_length=300,
        description="`next_after` of the previous page; leave out for the first page.",
    )


class AdminOrderRow(BaseModel):
    model_config = {"json_schema_extra": {"examples": [_ROW]}}

    id: int
    number: str
    created_at: UtcDatetime
    paid_at: UtcDatetime | None
    customer_name: str
    email: str
    status: OrderStatus
    payment_status: PaymentStatus
    items: int
    total_cents: int
    refunded_cents: int
    total_display: str
    currency: str
    needs_attention: bool

    @classmethod
    def of(cls, row: OrderRow) -> AdminOrderRow:
        return cls.model_validate(
            {
                "id": row.order_id,
                "number": row.number,
                "created_at": row.created_at,
                "paid_at": row.paid_at,
                "customer_name": row.customer_name,
                "email": row.email,
                "status": row.status,
                "payment_status": row.payment_status,
                "items": row.items,
                "total_cents": row.total_cents,
                "refunded_cents": row.refunded_cents,
                "total_display": display(row.total_cents, row.currency),
                "currency": row.currency,
                "needs_attention": row.needs_attention,
            }
        )


class AdminOrderList(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "items": [_ROW],
                    "total": 1,
                    "total_capped": False,
                    "per_page": 50,
                    "pages": 1,
                    "next_after": None,
                }
            ]
        }
    }

    items: list[AdminOrderRow]
    total: int = Field(description="Matching orders, counted up to 10,000.")
    total_capped: bool = Field(description="True when more than `total` orders match.")
    per_page: int
    pages: int
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )

    @classmethod
    def of(cls, page: OrderPage) -> AdminOrderList:
        return cls(
            items=[AdminOrderRow.of(row) for row in page.rows],
            total=page.total,
            total_capped=page.capped,
            per_page=page.per_page,
            pages=page.pages,
            next_after=page.next_after,
        )


class RefundPublic(BaseModel):
    stripe_refund_id: str
    amount_cents: int
    reason: str
    restocked: bool
    actor: str
    note: str
    created_at: UtcDatetime

    @classmethod
    def of(cls, refund: Refund) -> RefundPublic:
        return cls.model_validate(refund, from_attributes=True)


class CustomerPublic(BaseModel):
    user_id: int
    username: str
    name: str
    email: str
    order_count: int
    paid_orders: int
    lifetime_value_cents: int = Field(description="Paid totals minus refunds, all time.")

    @classmethod
    def of(cls, customer: CustomerContext) -> CustomerPublic:
        return cls.model_validate(customer, from_attributes=True)


class PaymentAttemptPublic(BaseModel):
    """One Checkout Session the order opened, and what became of it."""

    attempt: int = Field(description="1 for the first session, 2 after it expired, ...")
    stripe_session_id: str
    amount_cents: int
    currency: str
    session_status: str = Field(description="Stripe's status: open, complete or expired.")
    outcome: str = Field(
        description="open, paid, expired, failed, superseded (a newer session replaced it) "
        "or cancelled (the order was)."
    )
    expires_at: UtcDatetime | None
    payment_intent_id: str | None
    verified_via: str | None
    verified_at: UtcDatetime | None
    declines: int = Field(description="Cards declined on this session (it stayed open).")
    note: str
    created_at: UtcDatetime

    @classmethod
    def of(cls, attempt: PaymentAttempt) -> PaymentAttemptPublic:
        return cls.model_validate(attempt, from_attributes=True)


class WebhookDeliveryPublic(BaseModel):
    """One Stripe webhook delivery about the order, and what Shopora did with it."""

    event_id: str
    type: str
    disposition: str = Field(description="processed, ignored or refused.")
    outcome: str
    received_at: UtcDatetime

    @classmethod
    def of(cls, row: ProcessedStripeEvent) -> WebhookDeliveryPublic:
        return cls.model_validate(row, from_attributes=True)


class AdminOrderDetail(OrderPublic):
    """The console's view: the order, items, timeline, refunds, customer, and what can be
    done next (`allowed_actions`)."""

    needs_attention: bool
    attention_reason: str | None
    items: list[OrderItemPublic]
    events: list[OrderEventPublic]
    refunds: list[RefundPublic]
    customer: CustomerPublic
    payment_attempts: list[PaymentAttemptPublic] = Field(
        description="Every Checkout Session the order opened, first to last."
    )
    webhook_log: list[WebhookDeliveryPublic] = Field(
        description="Stripe webhook deliveries about the order, including ignored ones."
    )
    allowed_actions: list[str] = Field(
        examples=[["add_note", "cancel_with_refund", "refund", "start_processing"]]
    )

    @classmethod
    def from_detail(cls, detail: OrderDetail) -> AdminOrderDetail:
        order = detail.order
        return cls.model_validate(
            {
                **cls.fields_of(order),
                "needs_attention": order.needs_attention,
                "attention_reason": order.attention_reason,
                "items": [OrderItemPublic.of(item) for item in detail.items],
                "events": [OrderEventPublic.of(event) for event in detail.events],
                "refunds": [RefundPublic.of(refund) for refund in detail.refunds],
                "customer": CustomerPublic.of(detail.customer),
                "payment_attempts": [PaymentAttemptPublic.of(a) for a in detail.attempts],
                "webhook_log": [WebhookDeliveryPublic.of(w) for w in detail.webhooks],
                "allowed_actions": sorted(detail.allowed),
            }
        )


class ShipOrder(BaseModel):
    model_config = {
        "json_schema_extra": {"examples": [{"carrier": "UPS", "tracking_number": "1Z999AA10123"}]}
    }

    carrier: Annotated[str, text(60, 1)]
    tracking_number: Annotated[str, text(80, 1)]


class AdminCancel(BaseModel):
    model_config = {
        "json_schema_extra": {"examples": [{"reason": "Customer asked by phone", "refund": True}]}
    }

    reason: Text200 = Field(min_length=1)
    refund: BodyBool = Field(
        default=False,
        description="Required for a paid order: refund it in full and put its goods back.",
    )


class RefundRequest(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "amount_cents": 1500,
                    "restock": False,
                    "cancel": False,
                    "reason": "requested_by_customer",
                    "note": "Scratched on arrival",
                }
            ]
        }
    }

    amount_cents: BodyInt | None = Field(
        default=None, ge=1, le=MAX_CENTS, description="Omit to refund whatever is left."
    )
    restock: BodyBool = Field(default=False, description="Put the goods back (full refunds).")
    cancel: BodyBool = Field(default=False, description="Also cancel (full refund, not shipped).")
    reason: RefundReason = "requested_by_customer"
    note: Text2000 = ""
