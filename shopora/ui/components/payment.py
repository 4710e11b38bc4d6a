"""Paying for a pending order (the hosted Stripe page) and cancelling it."""

from __future__ import annotations

import streamlit as st

from shopora.db import session_scope
from shopora.errors import ShoporaError
from shopora.payments.checkout import cancel_order, start_checkout
from shopora.services.actors import Actor
from shopora.ui import errors
from shopora.ui.auth import SessionUser
from shopora.ui.components import test_card
from shopora.ui.format import when


def pay_button(order_id: int, *, user: SessionUser, label: str = "Pay with Stripe") -> bool:
    """A link button to the order's Stripe Checkout page (an open session is reused, an
    expired one replaced). False, with the reason shown, if it cannot be paid now."""
    try:
        with session_scope() as session:
            started = start_checkout(session=session, order_id=order_id, user_id=user.id)
    except ShoporaError as exc:
        errors.show(exc)
        return False
    st.link_button(label, started.url, type="primary", icon=":material/lock:", width="stretch")
    st.caption(
        f"Opens Stripe's secure payment page in a new tab. "
        f"This payment link is valid until {when(started.expires_at)}."
    )
    return True


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
        with session_scope() as session:
            cancel_order(
                session=session,
                order_id=order_id,
                actor=Actor(user.username, user.id),
                user_id=user.id,
                reason="Cancelled by the customer before paying.",
            )
    except ShoporaError as exc:
        errors.show(exc)
        return False
    return True


def pay_or_cancel(
    order_id: int, number: str, *, user: SessionUser, label: str, key: str, note: str = ""
) -> bool:
    """The pending order's panel: pay (with the test card beside it) or cancel. True once
    the customer has cancelled it; the page decides where to go then."""
    test_card.emulator_banner()
    pay, card = st.columns(2, gap="large")
    with pay:
        if note:
            st.caption(note)
        pay_button(order_id, user=user, label=label)
        cancelled = cancel_button(order_id, number, user=user, key=key)
    with card:
        test_card.show()
    return cancelled
