"""What an operator can do to one order: only the actions its state allows, each confirmed in
a dialog, each a named service action that writes an event with the operator's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import streamlit as st

from shopora.errors import ShoporaError
from shopora.payments.refunds import REASONS
from shopora.services.actors import Actor
from shopora.services.admin_orders import OrderDetail
from shopora.services.lifecycle import CARRIERS
from shopora.ui.facade import ops
from shopora.ui.format import label, money
from shopora.ui.ops.amounts import dollars_to_cents
from shopora.ui.ops.dialogs import close_dialog, dialog_is_open, done, open_dialog
from shopora.ui.ops.fields import Slots, succeeded

BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("start_processing", "Start processing", ":material/inventory:"),
    ("ship", "Ship…", ":material/local_shipping:"),
    ("deliver", "Mark delivered", ":material/home:"),
    ("refund", "Refund…", ":material/currency_exchange:"),
    ("cancel", "Cancel order…", ":material/cancel:"),
    ("cancel_with_refund", "Cancel and refund…", ":material/cancel:"),
    ("resolve_attention", "Resolve attention…", ":material/flag:"),
)
FORWARD = {"start_processing", "ship", "deliver"}


def _name(detail: OrderDetail, action: str) -> str:
    return f"order:{detail.order.id}:{action}"


def action_bar(detail: OrderDetail, actor: Actor) -> None:
    offered = [button for button in BUTTONS if button[0] in detail.allowed]
    if not offered:
        st.caption("Nothing left to do for this order except notes.")
        return
    for column, (action, text, icon) in zip(st.columns(len(offered)), offered, strict=True):
        kind: Literal["primary", "secondary"] = "primary" if action in FORWARD else "secondary"
        if column.button(text, icon=icon, type=kind, key=f"order_action_{action}", width="stretch"):
            open_dialog(_name(detail, action))
    for action, dialog in DIALOGS.items():
        if action in detail.allowed and dialog_is_open(_name(detail, action)):
            dialog(detail, actor)


@st.dialog("Start processing", on_dismiss=close_dialog)
def start_processing(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(f"Start picking and packing **{order.number}**? It moves from paid to processing.")
    if st.button("Start processing", type="primary", key="confirm_start_processing") and succeeded(
        lambda: ops.start_processing(order_id=order.id or 0, actor=actor)
    ):
        done(f"{order.number} is now processing.")


@st.dialog("Ship order", on_dismiss=close_dialog)
def ship(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    carrier = st.selectbox(
        "Carrier", CARRIERS, index=None, placeholder="Choose…", key="dlg_ship_carrier"
    )
    slots = Slots()
    slots.under("carrier")
    tracking = st.text_input("Tracking number", max_chars=40, key="dlg_ship_tracking")
    slots.under("tracking_number")
    st.caption("The customer sees the carrier and tracking number on their order.")
    if st.button("Mark as shipped", type="primary", key="confirm_ship") and succeeded(
        lambda: ops.ship(
            order_id=order.id or 0,
            actor=actor,
            carrier=carrier or "",
            tracking_number=tracking,
        ),
        slots,
    ):
        done(f"{order.number} is shipped with {carrier}.")


@st.dialog("Mark delivered", on_dismiss=close_dialog)
def deliver(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(f"Confirm that **{order.number}** reached the customer?")
    if st.button("Mark delivered", type="primary", key="confirm_deliver") and succeeded(
        lambda: ops.deliver(order_id=order.id or 0, actor=actor)
    ):
        done(f"{order.number} is delivered.")


@st.dialog("Cancel pending order", on_dismiss=close_dialog)
def cancel(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(
        f"Cancel **{order.number}**? Its Stripe checkout is expired first so it can no "
        "longer be paid, and the held stock is released."
    )
    reason = st.text_input("Reason", value="Cancelled by operator", key="dlg_cancel_reason")
    if st.button("Cancel order", type="primary", key="confirm_cancel") and succeeded(
        lambda: ops.cancel_order(
            order_id=order.id or 0, actor=actor, reason=reason.strip() or "Cancelled"
        )
    ):
        done(f"{order.number} is cancelled.")


@st.dialog("Cancel and refund", on_dismiss=close_dialog)
def cancel_with_refund(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(
        f"Refund the full **{money(order.total_cents, order.currency)}** through Stripe and "
        f"cancel **{order.number}**?"
    )
    restock = st.checkbox("Put the items back on the shelf", value=True, key="dlg_cancel_restock")
    note = st.text_input("Note (optional)", key="dlg_cancel_refund_note")
    if st.button("Refund and cancel", type="primary", key="confirm_cancel_refund") and succeeded(
        lambda: ops.refund_order(
            order_id=order.id or 0, actor=actor, cancel=True, restock=restock, note=note
        )
    ):
        done(f"{order.number} is refunded in full and cancelled.")


@st.dialog("Refund", on_dismiss=close_dialog)
def refund(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(
        f"Paid **{money(order.total_cents, order.currency)}**, refunded so far "
        f"**{money(order.refunded_cents, order.currency)}**."
    )
    whole = st.radio(
        "Amount",
        [True, False],
        format_func=lambda full: "Everything that is left" if full else "A partial amount",
        horizontal=True,
        key="dlg_refund_whole",
    )
    slots = Slots()
    typed = (
        ""
        if whole
        else st.text_input("Amount in dollars", placeholder="12.34", key="dlg_refund_amount")
    )
    slots.under("amount", "amount_cents")
    reason = st.selectbox("Reason", REASONS, index=2, format_func=label, key="dlg_refund_reason")
    back = _restock_choice(detail, whole)
    slots.under("restock_items")
    note = st.text_input("Note (optional)", key="dlg_refund_note")
    if not st.button("Refund through Stripe", type="primary", key="confirm_refund"):
        return
    try:
        amount = None if whole else dollars_to_cents(typed)
    except ShoporaError as exc:
        slots.show(exc)
        return
    if succeeded(
        lambda: ops.refund_order(
            order_id=order.id or 0,
            actor=actor,
            amount_cents=amount,
            restock=back is True,
            restock_items=back if isinstance(back, dict) and back else None,
            reason=reason,
            note=note,
        ),
        slots,
    ):
        done(f"Refund for {order.number} sent to Stripe.")


def _restock_choice(detail: OrderDetail, whole: bool) -> bool | dict[int, int]:
    """A full refund restocks everything or nothing; a partial one the units chosen."""
    if whole:
        return st.checkbox("Put every item back on the shelf", key="dlg_refund_restock_all")
    st.caption("Units to put back on the shelf")
    chosen: dict[int, int] = {}
    for item in detail.items:
        units = st.number_input(
            item.name, 0, item.quantity, 0, step=1, key=f"dlg_refund_restock_{item.product_id}"
        )
        if units:
            chosen[item.product_id] = int(units)
    return chosen


@st.dialog("Resolve attention", on_dismiss=close_dialog)
def resolve_attention(detail: OrderDetail, actor: Actor) -> None:
    order = detail.order
    st.write(f"**Flagged:** {order.attention_reason or 'no reason recorded'}")
    note = st.text_input("What was done", key="dlg_resolve_note")
    if st.button("Mark resolved", type="primary", key="confirm_resolve") and succeeded(
        lambda: ops.resolve_attention(order_id=order.id or 0, actor=actor, note=note)
    ):
        done(f"{order.number} no longer needs attention.")


DIALOGS: dict[str, Callable[[OrderDetail, Actor], None]] = {
    "start_processing": start_processing,
    "ship": ship,
    "deliver": deliver,
    "cancel": cancel,
    "cancel_with_refund": cancel_with_refund,
    "refund": refund,
    "resolve_attention": resolve_attention,
}


def note_form(detail: OrderDetail, actor: Actor) -> None:
    """A note on the timeline; the explicit submit is its confirmation."""
    with st.form("order_note", clear_on_submit=True, border=False):
        text = st.text_area("Add a note", max_chars=2000, height=80, key="order_note_text")
        slots = Slots()
        slots.under("note")
        submitted = st.form_submit_button("Add note", icon=":material/sticky_note_2:")
    if submitted and succeeded(
        lambda: ops.add_note(order_id=detail.order.id or 0, actor=actor, note=text),
        slots,
    ):
        done("Note added.")
