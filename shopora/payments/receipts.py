"""The receipt a settled (or pending) order leads to: its items, timeline and payment
references, for the return page, My orders and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from shopora.models import Order, OrderEvent, OrderItem
from shopora.services import lifecycle, orders


@dataclass(frozen=True)
class PaymentRecord:
    session_id: str | None
    payment_intent_id: str | None
    amount_cents: int | None
    currency: str
    via: str | None
    paid_at: datetime | None


@dataclass(frozen=True)
class Receipt:
    order: Order
    items: list[OrderItem]
    events: list[OrderEvent]
    payment: PaymentRecord | None


def receipt(*, session: Session, order_id: int, user_id: int | None = None) -> Receipt:
    """An order with its items, timeline and payment references (for the customer, when
    `user_id` is given)."""
    order = orders.get_order(session=session, order_id=order_id, user_id=user_id)
    payment = None
    if order.paid_at is not None:
        payment = PaymentRecord(
            session_id=order.stripe_session_id,
            payment_intent_id=order.payment_intent_id,
            amount_cents=order.amount_paid_cents,
            currency=order.currency,
            via=order.verified_via,
            paid_at=order.paid_at,
        )
    return Receipt(
        order=order,
        items=orders.order_items(session=session, order_id=order_id),
        events=lifecycle.events(session=session, order_id=order_id),
        payment=payment,
    )
