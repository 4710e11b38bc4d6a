"""Stripe Checkout for the caller's pending orders."""

from __future__ import annotations

from fastapi import APIRouter

from shopora.api.deps import CurrentUser, GatewayDep, SessionDep
from shopora.api.errors import errors
from shopora.api.schemas_orders import OrderDetail
from shopora.api.schemas_payment import CheckoutSessionPublic, ConfirmCheckout, StartCheckout
from shopora.models import VerifiedVia
from shopora.models.base import pk
from shopora.payments import checkout, fulfilment

router = APIRouter(prefix="/payment", tags=["payment"], responses=errors(401))


@router.post(
    "/stripe-checkout",
    responses=errors(404, 409, 422, 502),
    summary="Open a hosted Stripe Checkout for an order",
)
def start_checkout(
    body: StartCheckout, user: CurrentUser, session: SessionDep, gateway: GatewayDep
) -> CheckoutSessionPublic:
    """The payment page for one of the caller's pending orders. Calling again (a double
    click, a second tab) returns the same open session; a new one is made only after the
    previous one expired."""
    start = checkout.start_checkout(
        session=session, order_id=body.order_id, user_id=user.id, gateway=gateway
    )
    return CheckoutSessionPublic.of(start)


@router.post(
    "/stripe-confirm",
    responses=errors(404, 409, 422, 502),
    summary="Verify a paid Checkout Session and settle its order",
)
def confirm_checkout(
    body: ConfirmCheckout, user: CurrentUser, session: SessionDep, gateway: GatewayDep
) -> OrderDetail:
    """Retrieve the session from Stripe and check it is the caller's order, complete and
    paid, with the right amount and currency; then the order is paid, its stock sold and the
    paid quantities leave the cart. Safe to repeat: a second call returns the paid order."""
    order = fulfilment.fulfill_checkout(
        session=session,
        stripe_session_id=body.session_id,
        via=VerifiedVia.API,
        acting_user_id=user.id,
        gateway=gateway,
    )
    return OrderDetail.from_receipt(
        fulfilment.receipt(session=session, order_id=pk(order), user_id=user.id)
    )
