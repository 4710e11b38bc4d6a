"""One order in the console: customer, items and totals, address, payment proof, refunds,
timeline. Display only; the actions are in order_actions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from shopora.config import get_settings
from shopora.errors import ShoporaError
from shopora.models import Order, OrderEvent, Refund
from shopora.services.admin_orders import CustomerContext, OrderDetail
from shopora.ui import errors
from shopora.ui.components import receipt
from shopora.ui.facade import ops
from shopora.ui.format import badge, label, money, when
from shopora.ui.ops.tables import dollars, money_column

VIA = {
    "return_page": "the return page",
    "webhook": "the Stripe webhook",
    "reconciliation": "reconciliation",
    "api": "the API",
}


def header(detail: OrderDetail) -> None:
    order = detail.order
    st.title(f"Order {order.number}")
    flags = f"Status {badge(order.status)} · Payment {badge(order.payment_status)}"
    if order.needs_attention:
        flags += " · :red-badge[:material/flag: Needs attention]"
    st.markdown(f"{flags}  \n:gray[Placed {when(order.created_at)}]")


def attention(order: Order) -> None:
    if order.needs_attention:
        st.warning(
            f"**Needs attention:** {order.attention_reason or 'no reason recorded'}",
            icon=":material/flag:",
        )


def customer(context: CustomerContext) -> None:
    with st.container(border=True):
        st.markdown("**:material/person: Customer**")
        st.markdown(f"{context.name}  \n{context.email}  \n:gray[@{context.username}]")
        st.markdown(
            f"**{context.order_count}** orders ({context.paid_orders} paid)  \n"
            f"**{money(context.lifetime_value_cents)}** lifetime value",
            help="Lifetime value: the customer's paid orders, minus what was refunded.",
        )


def shipping(order: Order) -> None:
    with st.container(border=True):
        st.markdown("**:material/local_shipping: Shipping**")
        lines = [order.shipping_name, order.shipping_line1, order.shipping_line2]
        lines.append(receipt.locality(order))
        lines.append(order.shipping_country)
        st.markdown("  \n".join(line for line in lines if line))
        st.caption(f"{label(order.shipping_method)} shipping")
        if order.carrier:
            st.markdown(f"**{order.carrier}** · `{order.tracking_number}`")
            st.caption(f"Shipped {when(order.shipped_at)}")
        if order.delivered_at:
            st.caption(f"Delivered {when(order.delivered_at)}")


def payment(order: Order) -> None:
    with st.container(border=True):
        st.markdown("**:material/verified: Payment proof**")
        if order.paid_at is None:
            st.caption("Not paid yet.")
            if order.stripe_session_id:
                st.markdown(f"Checkout session  \n`{order.stripe_session_id}`")
            return
        matches = order.amount_paid_cents == order.total_cents
        check = (
            ":green[:material/check_circle: matches the total]"
            if matches
            else (":red[:material/error: differs from the total]")
        )
        st.markdown(
            f"**{money(order.amount_paid_cents, order.currency)}** verified {check}  \n"
            f"via {VIA.get(order.verified_via or '', order.verified_via or '—')}, "
            f"{when(order.paid_at)}"
        )
        st.markdown(f"Checkout session  \n`{order.stripe_session_id or '—'}`")
        st.markdown(f"Payment intent  \n`{order.payment_intent_id or '—'}`")
        settings = get_settings()
        if settings.stripe_mode == "test" and order.payment_intent_id:
            st.link_button(
                "Open in Stripe",
                f"https://dashboard.stripe.com/test/payments/{order.payment_intent_id}",
                icon=":material/open_in_new:",
            )
        elif settings.stripe_mode == "emulator":
            st.caption("Paid through the local Stripe emulator (test mode, no real money).")


def items(detail: OrderDetail) -> None:
    order = detail.order
    rows = pd.DataFrame(
        {
            "Product": [item.name for item in detail.items],
            "SKU": [item.sku for item in detail.items],
            "Unit price": [dollars(item.unit_price_cents) for item in detail.items],
            "Qty": [item.quantity for item in detail.items],
            "Line total": [dollars(item.line_total_cents) for item in detail.items],
        }
    )
    money_columns = {"Unit price": money_column(), "Line total": money_column()}
    st.dataframe(
        rows, hide_index=True, width="stretch", column_config=money_columns, key="order_items"
    )
    totals(order)


def totals(order: Order) -> None:
    c = order.currency
    code = f" (`{order.discount_code}`)" if order.discount_code else ""
    lines = [
        ("Subtotal", money(order.subtotal_cents, c)),
        (f"Discount{code}", money(-order.discount_cents, c) if order.discount_cents else "—"),
        (f"Shipping ({label(order.shipping_method)})", money(order.shipping_cents, c)),
        ("**Total**", f"**{money(order.total_cents, c)}**"),
    ]
    if order.refunded_cents:
        lines.append(("Refunded", money(-order.refunded_cents, c)))
    table = "\n".join(f"| {name} | {value} |" for name, value in lines)
    _, right = st.columns([3, 2])
    right.markdown(f"| Totals | |\n|---|--:|\n{table}")


def refunds(rows: list[Refund], currency: str) -> None:
    if not rows:
        return
    st.markdown("**Refunds**")
    for refund in rows:
        restocked = " · items restocked" if refund.restocked else ""
        st.markdown(
            f"- **{money(refund.amount_cents, currency)}** · {label(refund.reason)} · "
            f"by {refund.actor} · {when(refund.created_at)}{restocked}  \n"
            f"  :gray[`{refund.stripe_refund_id}`{' · ' + refund.note if refund.note else ''}]"
        )


ICONS = {
    "placed": ":material/shopping_cart_checkout:",
    "payment_started": ":material/credit_card:",
    "paid": ":material/paid:",
    "processing": ":material/inventory:",
    "shipped": ":material/local_shipping:",
    "delivered": ":material/home:",
    "cancelled": ":material/cancel:",
    "refunded": ":material/currency_exchange:",
    "note": ":material/sticky_note_2:",
    "needs_attention": ":material/flag:",
    "payment_mismatch": ":material/error:",
    "payment_failed": ":material/credit_card_off:",
}


def timeline(events: list[OrderEvent]) -> None:
    for event in events:
        move = ""
        if event.from_status and event.to_status:
            move = f" · {label(event.from_status)} → {label(event.to_status)}"
        icon = ICONS.get(event.kind, ":material/circle:")
        st.markdown(
            f"{icon} **{label(event.kind)}**{move}  \n"
            f":gray[{when(event.created_at)} · by {event.actor}]"
        )
        extra = _event_detail(event)
        if event.note or extra:
            st.caption(" · ".join(part for part in (event.note, extra) if part))


def _event_detail(event: OrderEvent) -> str:
    data = event.data or {}
    if event.kind == "shipped" and data.get("carrier"):
        return f"{data['carrier']} {data.get('tracking_number', '')}"
    if event.kind == "refunded" and "amount" in data:
        return f"{money(int(data['amount']))} refunded"
    return ""


def opened_order() -> int | None:
    """The order in the URL: ?order=SO-10403 (a row's link) or ?order=<id> (a dashboard
    link); -1 when it names no order."""
    raw = (st.query_params.get("order") or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return int(raw)
    return ops.order_id_for(raw.upper()) or -1


def back_to_list() -> None:
    if st.button("All orders", icon=":material/arrow_back:", key="order_back", type="tertiary"):
        st.query_params.pop("order", None)
        st.rerun()


def load(order_id: int) -> OrderDetail | None:
    try:
        return ops.order_detail(order_id)
    except ShoporaError as exc:
        errors.show(exc)
        return None
