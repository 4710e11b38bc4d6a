"""The operator's order console: search, detail, fulfilment, cancellation and refunds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from shopora.api.deps import GatewayDep, OperatorUser, SessionDep, StaffUser
from shopora.api.errors import errors
from shopora.api.schemas_admin_orders import (
    AdminCancel,
    AdminOrderDetail,
    AdminOrderList,
    AdminOrderQuery,
    RefundRequest,
    ShipOrder,
)
from shopora.api.schemas_common import OrderIdPath
from shopora.payments import checkout, refunds
from shopora.services import admin_orders, lifecycle
from shopora.services.admin_order_filter import OrderFilter

router = APIRouter(prefix="/admin/orders", tags=["admin"], responses=errors(401, 403))
ACTION_ERRORS = errors(404, 409, 422)


def _detail(session: Session, order_id: int) -> AdminOrderDetail:
    return AdminOrderDetail.from_detail(
        admin_orders.order_detail(session=session, order_id=order_id)
    )


@router.get("", responses=errors(422), summary="Search orders")
def search_orders(
    query: Annotated[AdminOrderQuery, Query()], user: StaffUser, session: SessionDep
) -> AdminOrderList:
    """Filter by status, payment status, dates and text; sorted and paged (by keyset: follow
    `next_after`) in the database. Operators and analysts."""
    filters = OrderFilter(
        status=query.status,
        payment_status=query.payment_status,
        date_from=query.date_from,
        date_to=query.date_to,
        query=query.q,
        needs_attention=query.needs_attention,
        sort=query.sort,
        per_page=query.per_page,
        after=query.after,
    )
    return AdminOrderList.of(admin_orders.search_orders(session=session, filters=filters))


@router.get("/{order_id}", responses=errors(404, 422), summary="One order, in full")
def order_detail(order_id: OrderIdPath, user: StaffUser, session: SessionDep) -> AdminOrderDetail:
    """Payment proof, items, timeline, refunds, the customer, and the actions allowed now.
    Operators and analysts."""
    return _detail(session, order_id)


@router.post("/{order_id}/process", responses=ACTION_ERRORS, summary="Start processing")
def start_processing(
    order_id: OrderIdPath, user: OperatorUser, session: SessionDep
) -> AdminOrderDetail:
    """Paid → processing."""
    lifecycle.start_processing(session=session, order_id=order_id, actor=user.actor)
    return _detail(session, order_id)


@router.post("/{order_id}/ship", responses=ACTION_ERRORS, summary="Ship")
def ship(
    order_id: OrderIdPath, body: ShipOrder, user: OperatorUser, session: SessionDep
) -> AdminOrderDetail:
    """Processing → shipped, with the carrier and tracking number the customer sees."""
    lifecycle.ship(
        session=session,
        order_id=order_id,
        actor=user.actor,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    return _detail(session, order_id)


@router.post("/{order_id}/deliver", responses=ACTION_ERRORS, summary="Mark delivered")
def deliver(order_id: OrderIdPath, user: OperatorUser, session: SessionDep) -> AdminOrderDetail:
    """Shipped → delivered."""
    lifecycle.deliver(session=session, order_id=order_id, actor=user.actor)
    return _detail(session, order_id)


@router.post("/{order_id}/cancel", responses=errors(404, 409, 422, 502), summary="Cancel")
def cancel(
    order_id: OrderIdPath,
    body: AdminCancel,
    user: OperatorUser,
    session: SessionDep,
    gateway: GatewayDep,
) -> AdminOrderDetail:
    """A pending order is cancelled (its Stripe session expired first, its hold released).
    A paid or processing order needs `refund: true`: it is refunded in full through Stripe,
    its goods go back on the shelf, and it is cancelled."""
    if body.refund:
        refunds.refund_order(
            session=session,
            order_id=order_id,
            actor=user.actor,
            restock=True,
            cancel=True,
            note=body.reason,
            gateway=gateway,
        )
    else:
        checkout.cancel_order(
            session=session,
            order_id=order_id,
            actor=user.actor,
            reason=body.reason,
            gateway=gateway,
        )
    return _detail(session, order_id)


@router.post("/{order_id}/refund", responses=errors(404, 409, 422, 502), summary="Refund")
def refund(
    order_id: OrderIdPath,
    body: RefundRequest,
    user: OperatorUser,
    session: SessionDep,
    gateway: GatewayDep,
) -> AdminOrderDetail:
    """Refund through Stripe (all that is left, or `amount_cents`), mirrored locally;
    optionally restock and, with a full refund of an unshipped order, cancel."""
    refunds.refund_order(
        session=session,
        order_id=order_id,
        actor=user.actor,
        amount_cents=body.amount_cents,
        restock=body.restock,
        cancel=body.cancel,
        reason=body.reason,
        note=body.note,
        gateway=gateway,
    )
    return _detail(session, order_id)
