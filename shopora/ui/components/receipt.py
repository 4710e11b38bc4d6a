"""A receipt: what was bought, what it cost, where it goes, and the proof of payment."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from shopora.models import Order, OrderItem, PaymentStatus
from shopora.payments.fulfilment import PaymentRecord, Receipt
from shopora.services.shipping import COUNTRIES
from shopora.ui.components import order_status, totals
from shopora.ui.components.clock import when
from shopora.ui.format import money

VIA_LABELS = {
    "return_page": "Return page (you came back from Stripe)",
    "webhook": "Stripe webhook",
    "reconciliation": "Reconciliation with Stripe",
    "api": "API",
}


def items_table(items: Sequence[OrderItem], currency: str) -> None:
    rows = "\n".join(
        f"| {item.name} | {item.quantity} | {money(item.unit_price_cents, currency)} "
        f"| {money(item.line_total_cents, currency)} |"
        for item in items
    )
    st.markdown(f"| Item | Qty | Price | Total |\n|---|--:|--:|--:|\n{rows}")


def locality(order: Order) -> str:
    """ "Springfield, IL 12345"; without a region "Springfield 12345"."""
    if order.shipping_region:
        return f"{order.shipping_city}, {order.shipping_region} {order.shipping_postal_code}"
    return f"{order.shipping_city} {order.shipping_postal_code}"


def address(order: Order) -> None:
    lines = [order.shipping_name, order.shipping_line1, order.shipping_line2, locality(order),
             COUNTRIES.get(order.shipping_country, order.shipping_country)]  # fmt: skip
    st.markdown("**Ships to**  \n" + "  \n".join(line for line in lines if line))


def verified(payment: PaymentRecord) -> None:
    """The payment proof, prominently: Stripe's references for this payment."""
    st.success(
        "#### :material/verified: Verified with Stripe\n"
        f"- **Amount:** {money(payment.amount_cents, payment.currency)}\n"
        f"- **Checkout session:** `{payment.session_id or '—'}`\n"
        f"- **Payment intent:** `{payment.payment_intent_id or '—'}`\n"
        f"- **Verified via:** {VIA_LABELS.get(payment.via or '', payment.via or '—')}\n"
        f"- **Verified at:** {when(payment.paid_at)}",
    )


def show(receipt: Receipt) -> None:
    order = receipt.order
    st.markdown(f"### Order {order.number} &nbsp; {order_status.badges(order)}")
    st.caption(f"Placed {when(order.created_at)} · {order.email}")
    if order.status == "cancelled" and order.payment_status == PaymentStatus.PAID:
        st.warning(order_status.sentence(order), icon=":material/currency_exchange:")
    if receipt.payment is not None:
        verified(receipt.payment)
    left, right = st.columns([3, 2], gap="large")
    with left:
        items_table(receipt.items, order.currency)
        address(order)
    with right:
        totals.show_order(order)
