"""The rows of the planned orders: orders, items, stock holds, events, refunds, redemptions."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from shopora.config import get_settings
from shopora.history.events import order_events
from shopora.history.world import OPERATOR, Plan, PlannedRefund, S, World, placed
from shopora.models import (
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    Order,
    OrderItem,
    Refund,
    ReservationStatus,
    ShippingMethod,
    StockReservation,
)
from shopora.models.base import pk
from shopora.services.orders import ORDER_NUMBER_BASE
from shopora.services.pricing import shipping_cost
from shopora.services.shipping import shipping_rates


def insert_orders(session: Session, plans: list[Plan]) -> None:
    """Insert in time order, so ids (and numbers) grow with time; numbers derive from ids."""
    for index, plan in enumerate(plans):
        plan.order = _order(plan, number=f"demo-{index}")
    session.add_all([plan.order for plan in plans if plan.order is not None])
    session.flush()
    for plan in plans:
        order = placed(plan)
        order.number = f"SO-{ORDER_NUMBER_BASE + pk(order)}"


def _order(plan: Plan, *, number: str) -> Order:
    totals, refund = plan.totals, plan.refund
    return Order(
        number=number,
        user_id=pk(plan.customer.user),
        status=plan.status,
        payment_status=plan.payment_status,
        currency=get_settings().currency,
        subtotal_cents=totals.subtotal_cents,
        discount_cents=totals.discount_cents,
        shipping_cents=totals.shipping_cents,
        total_cents=totals.total_cents,
        refunded_cents=refund.amount if refund else 0,
        discount_code=plan.code.code if plan.code else None,
        needs_attention=plan.attention is not None,
        attention_reason=plan.attention,
        created_at=plan.created_at,
        updated_at=plan.created_at,  # the last event's time, once the events are written
        **_shipping_to(plan),
        **_payment(plan),
        **_fulfilment(plan),
    )


def _shipping_to(plan: Plan) -> dict[str, Any]:
    line1, line2, city, postal, country = plan.customer.address
    return {
        "email": plan.customer.user.email,
        "shipping_name": plan.customer.user.name,
        "shipping_line1": line1,
        "shipping_line2": line2,
        "shipping_city": city,
        "shipping_postal_code": postal,
        "shipping_country": country,
        "shipping_method": plan.method,
    }


def _payment(plan: Plan) -> dict[str, Any]:
    paid = plan.fate == "paid"
    session_minutes = get_settings().checkout_session_minutes
    expires = plan.checkout_at + timedelta(minutes=session_minutes) if plan.checkout_at else None
    return {
        "stripe_session_id": plan.session_id,
        "stripe_session_expires_at": expires,
        "checkout_attempt": 1 if plan.checkout_at else 0,
        "payment_intent_id": f"pi_demo_{plan.tag}" if paid else None,
        "amount_paid_cents": plan.totals.total_cents if paid else None,
        "paid_at": plan.steps.get(S.PAID),
        "verified_via": plan.via if paid else None,
    }


def _fulfilment(plan: Plan) -> dict[str, Any]:
    steps = plan.steps
    shipped = S.SHIPPED in steps
    return {
        "carrier": plan.carrier[0] if shipped and plan.carrier else None,
        "tracking_number": plan.carrier[1] if shipped and plan.carrier else None,
        "processing_at": steps.get(S.PROCESSING),
        "shipped_at": steps.get(S.SHIPPED),
        "delivered_at": steps.get(S.DELIVERED),
        "cancelled_at": steps.get(S.CANCELLED),
    }


def order_rows(plans: list[Plan], world: World) -> list[Any]:
    """Every row that hangs off the inserted orders; counts the codes' redemptions."""
    rows: list[Any] = []
    redeemed: Counter[int] = Counter()
    for plan in plans:
        rows += _rows_of(plan, world)
        if plan.fate == "paid" and plan.code is not None:
            redeemed[pk(plan.code)] += 1
    for code in world.codes.values():
        code.redemption_count += redeemed[pk(code)]
    return rows


def _rows_of(plan: Plan, world: World) -> list[Any]:
    order_id = pk(placed(plan))
    rows: list[Any] = [*_items(plan, order_id), *_reservations(plan, order_id)]
    events = order_events(plan, order_id, world)
    placed(plan).updated_at = events[-1].created_at
    rows += events
    if plan.refund is not None:
        rows.append(_refund_row(plan, plan.refund, order_id))
    if plan.fate == "paid" and plan.code is not None:
        rows.append(_redemption(plan, plan.code, order_id))
    return rows


def _items(plan: Plan, order_id: int) -> list[OrderItem]:
    return [
        OrderItem(
            order_id=order_id,
            product_id=pk(product),
            sku=product.sku,
            name=product.name,
            unit_price_cents=product.price_cents,
            quantity=quantity,
            line_total_cents=product.price_cents * quantity,
        )
        for product, quantity in plan.lines
    ]


def _reservations(plan: Plan, order_id: int) -> list[StockReservation]:
    status, settled = ReservationStatus.HELD, None
    if plan.fate == "paid":
        status, settled = ReservationStatus.COMMITTED, plan.steps[S.PAID]
    elif plan.fate != "pending":
        status, settled = ReservationStatus.RELEASED, plan.steps[S.CANCELLED]
    else:
        for product, quantity in plan.lines:
            product.reserved += quantity
    return [
        StockReservation(
            order_id=order_id,
            product_id=pk(product),
            quantity=quantity,
            status=status,
            created_at=plan.created_at,
            settled_at=settled,
        )
        for product, quantity in plan.lines
    ]


def _refund_row(plan: Plan, refund: PlannedRefund, order_id: int) -> Refund:
    return Refund(
        order_id=order_id,
        stripe_refund_id=f"re_demo_{plan.tag}",
        amount_cents=refund.amount,
        restocked=refund.restock,
        actor=OPERATOR,
        note=refund.note,
        created_at=refund.at,
    )


def _value_given(plan: Plan, code: DiscountCode) -> int:
    """As fulfilment counts it: the amount off, or for free shipping the shipping waived."""
    if code.kind != DiscountKind.FREE_SHIPPING:
        return plan.totals.discount_cents
    return shipping_cost(
        ShippingMethod(plan.method),
        shipping_rates(),
        after_discount_cents=plan.totals.subtotal_cents - plan.totals.discount_cents,
        free=False,
    )


def _redemption(plan: Plan, code: DiscountCode, order_id: int) -> DiscountRedemption:
    return DiscountRedemption(
        discount_code_id=pk(code),
        order_id=order_id,
        user_id=pk(plan.customer.user),
        once_key=pk(plan.customer.user) if code.once_per_customer else None,
        amount_cents=_value_given(plan, code),
        created_at=plan.steps[S.PAID],
    )
