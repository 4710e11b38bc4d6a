"""Paying for a pending order (the hosted Stripe page) and cancelling it.

Drawing the panel never calls Stripe: the "Pay" link is the order's stored, unexpired
session; without one, a button opens (or resumes) a session in its on_click action, so a
rerun of the page (a fragment's poll, a widget change) cannot create Checkout Sessions.
"""

from __future__ import annotations

import streamlit as st

from shopora.errors import ShoporaError
from shopora.models import Order
from shopora.ui import errors
from shopora.ui.auth import SessionUser
from shopora.ui.components import test_card
from shopora.ui.components.clock import when
from shopora.ui.facade import shop
from shopora.ui.state import StateKeys


def open_session(order_id: int, user_id: int) -> None:
    """on_click: ask Stripe for the order's payment page (stored on the order)."""
    try:
        shop.start_payment(order_id, user_id)
    except ShoporaError as exc:
        st.session_state[StateKeys.PAYMENT_REFUSED] = {order_id: exc.message}


def pay_button(order: Order, *, user: SessionUser, label: str = "Pay with Stripe") -> None:
    """The link to the order's Stripe Checkout page, or the button that opens one."""
    order_id = order.id or 0
    refused = st.session_state.pop(StateKeys.PAYMENT_REFUSED, {}).get(order_id)
    if refused:
        st.error(refused, icon=":material/error:")
    link = shop.open_payment_link(order)
    if link is None:
        st.button(
            label,
            key=f"pay_open_{order_id}",
            type="primary",
            icon=":material/lock:",
            width="stretch",
            on_click=open_session,
            args=(order_id, user.id),
        )
        st.caption("Opens a secure Stripe payment page for this order.")
        return
    st.link_button(label, link.url, type="primary", icon=":material/lock:", width="stretch")
    st.caption(
        f"Opens Stripe's secure payment page in a new tab. "
        f"This payment link is valid until {when(link.expires_at)}."
    )
    # Stripe can end a session early (the emulator restarted, an expiry nobody heard of):
    # asking again reuses the session if it is still open, or opens a new one.
    st.button(
        "Payment page expired? Get a new one",
        key=f"pay_renew_{order_id}",
        type="tertiary",
        icon=":material/refresh:",
        on_click=open_session,
        args=(order_id, user.id),
    )


def cancel_button(order_id: int, number: str, *, user: SessionUser, key: str) -> bool:
    """ "Cancel order" with a confirmation step; True once the order is cancelled."""
    with st.popover("Cancel order", icon=":material/cancel:", key=f"{key}_popover"):
        st.markdown(f"Cancel order **{number}**? Its items go back on the shelf.")
        confirmed = st.button(
            f"Yes, cancel {number}", key=f"{key}_confirm", type="primary", width="stretch"
        )
    if not confirmed:
        return False
    try:
        shop.cancel_unpaid(order_id, user_id=user.id, username=user.username)
    except ShoporaError as exc:
        errors.show(exc)
        return False
    return True


def pay_or_cancel(order: Order, *, user: SessionUser, label: str, key: str, note: str = "") -> bool:
    """The pending order's panel: pay (with the test card beside it) or cancel. True once
    the customer has cancelled it; the page decides where to go then."""
    test_card.emulator_banner()
    pay, card = st.columns(2, gap="large")
    with pay:
        if note:
            st.caption(note)
        pay_button(order, user=user, label=label)
        cancelled = cancel_button(order.id or 0, order.number, user=user, key=key)
    with card:
        test_card.show()
    return cancelled
