"""Quotes, placing orders, and the customer's own order history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from sqlmodel import Session

from shopora.api.deps import CurrentUser, GatewayDep, SessionDep, SettingsDep
from shopora.api.errors import errors
from shopora.api.schemas_cart import QuotePublic, ValidateDiscount
from shopora.api.schemas_common import NO_CONTROL, OrderIdPath, as_utc
from shopora.api.schemas_orders import CancelOrder, OrderDetail, OrderPublic, PlaceOrder
from shopora.errors import ValidationFailed
from shopora.models.base import pk, utcnow
from shopora.payments import checkout as payment_checkout
from shopora.payments import fulfilment
from shopora.services import checkout, orders
from shopora.services.shipping import ShippingAddress

router = APIRouter(tags=["orders"], responses=errors(401))

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=NO_CONTROL,
        description="Any unique string (a UUID); a retry with the same key returns the same order.",
    ),
]


def _detail(session: Session, order_id: int, user_id: int) -> OrderDetail:
    return OrderDetail.from_receipt(
        fulfilment.receipt(session=session, order_id=order_id, user_id=user_id)
    )


@router.post("/discounts/validate", responses=errors(422), summary="Quote the cart with a code")
def validate_discount(
    body: ValidateDiscount, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> QuotePublic:
    """Whether the code applies to the caller's cart now, and what the cart would cost."""
    quote = checkout.quote(
        session=session, user_id=user.id, method=body.shipping_method, discount_code=body.code
    )
    return QuotePublic.of(quote, settings.currency)


@router.post(
    "/orders",
    status_code=201,
    responses={
        200: {"model": OrderDetail, "description": "The order this key (or cart) already made."},
        **errors(404, 409, 422),
    },
    summary="Place a pending order from the cart",
)
def place_order(
    body: PlaceOrder,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> OrderDetail:
    """Turn the cart into a pending order and hold its stock; pay it with
    `POST /payment/stripe-checkout`. The same key (or the same cart placed again while its
    order is pending) returns the existing order with 200 instead of a second order."""
    key = idempotency_key or body.idempotency_key
    if idempotency_key and body.idempotency_key and idempotency_key != body.idempotency_key:
        raise ValidationFailed(
            "The Idempotency-Key header and body field differ.", field="idempotency_key"
        )
    started = utcnow()
    order = orders.place_order(
        session=session,
        user_id=user.id,
        shipping=ShippingAddress(**body.shipping.model_dump()),
        method=body.shipping_method,
        discount_code=body.discount_code,
        idempotency_key=key,
    )
    if as_utc(order.created_at) < started:
        response.status_code = 200
    return _detail(session, pk(order), user.id)


@router.get("/orders", summary="The caller's orders")
def list_orders(user: CurrentUser, session: SessionDep) -> list[OrderPublic]:
    """Newest first, each with its payment state."""
    return [OrderPublic.of(order) for order in orders.list_orders(session=session, user_id=user.id)]


@router.get("/orders/{order_id}", responses=errors(404, 422), summary="One of the caller's orders")
def get_order(order_id: OrderIdPath, user: CurrentUser, session: SessionDep) -> OrderDetail:
    """Payment state and references, items and timeline; someone else's order is a 404."""
    return _detail(session, order_id, user.id)


@router.post(
    "/orders/{order_id}/cancel",
    responses=errors(404, 409, 422, 502),
    summary="Cancel an unpaid order",
)
def cancel_order(
    order_id: OrderIdPath,
    user: CurrentUser,
    session: SessionDep,
    gateway: GatewayDep,
    body: CancelOrder | None = None,
) -> OrderDetail:
    """Expire its Stripe session, cancel it and release the held stock. Paid orders are
    refunded by an operator instead."""
    reason = (body or CancelOrder()).reason
    order = payment_checkout.cancel_order(
        session=session,
        order_id=order_id,
        actor=user.actor,
        user_id=user.id,
        reason=reason,
        gateway=gateway,
    )
    return _detail(session, pk(order), user.id)
