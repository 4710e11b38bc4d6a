"""Where Stripe sends the customer back (hidden page): ?session_id=cs_... after paying,
?cancelled=1&order_id=N after "back". Verifies the payment with Stripe and shows the receipt;
works in a fresh tab (the cookie restores the user) and after signing in first."""

import re

import streamlit as st

from shopora.errors import (
    Forbidden,
    NotFound,
    PaymentMismatch,
    PaymentNotCompleted,
    ShoporaError,
)
from shopora.models import OrderStatus, Role
from shopora.payments.receipts import Receipt
from shopora.ui import auth, errors
from shopora.ui.components import links, payment
from shopora.ui.components import receipt as receipt_view
from shopora.ui.facade import shop
from shopora.ui.layout import page_setup
from shopora.ui.nav import MY_ORDERS, SHOP, SIGN_IN
from shopora.ui.state import StateKeys

SESSION_ID = re.compile(r"^cs_[A-Za-z0-9_]{1,250}$")
NOT_YOURS = "We couldn't find that payment for your account."

page_setup("Payment", ":material/receipt:")
session_id = st.query_params.get("session_id")
cancelled_order = st.query_params.get("order_id") if st.query_params.get("cancelled") else None


def ask_to_sign_in() -> None:
    """Keep the session id in this browser session, sign in, and come back here."""
    if session_id:
        st.session_state[StateKeys.RETURN_SESSION_ID] = session_id
        st.session_state[StateKeys.AFTER_SIGN_IN] = "payment_return"
    else:
        st.session_state[StateKeys.AFTER_SIGN_IN] = "my_orders"
    st.title("Almost done")
    st.error(
        "Please sign in to finish: we'll verify your payment with Stripe and show your receipt.",
        icon=":material/lock:",
    )
    links.link(SIGN_IN, "Sign in to continue", icon=":material/login:")
    st.stop()


def next_steps() -> None:
    with st.container(horizontal=True):
        links.link(MY_ORDERS, "My orders")
        links.link(SHOP, "Continue shopping")


def verify(stripe_session_id: str) -> Receipt | None:
    """fulfill_checkout from the return page; the receipt, or None with the reason shown."""
    problem: ShoporaError | None = None
    with st.status("Verifying your payment with Stripe…") as status:
        try:
            found = settle(stripe_session_id)
        except ShoporaError as exc:
            problem = exc
            status.update(label="We could not confirm this payment", state="error")
        else:
            status.update(label="Payment verified with Stripe", state="complete")
    if problem is not None:
        st.title("Payment not confirmed")
        explain(problem, stripe_session_id)
        return None
    return found


def settle(stripe_session_id: str) -> Receipt:
    if not SESSION_ID.match(stripe_session_id):
        raise NotFound(NOT_YOURS)
    return shop.verify_return(stripe_session_id, user.id)


def explain(exc: ShoporaError, stripe_session_id: str) -> None:
    if isinstance(exc, NotFound | Forbidden):
        st.error(NOT_YOURS, icon=":material/search_off:")
        st.caption("Check the link, or find your order under My orders. Nothing was changed.")
    elif isinstance(exc, PaymentNotCompleted):
        st.warning(
            f"Stripe hasn't confirmed this payment yet. {exc.message}", icon=":material/pending:"
        )
        resume_for_session(stripe_session_id)
    elif isinstance(exc, PaymentMismatch):
        st.error(
            f"This payment doesn't match your order, so the order was not marked paid. "
            f"{exc.message} Our team has been alerted.",
            icon=":material/report:",
        )
    else:
        errors.show(exc)
        st.button("Try again", key="return_retry", icon=":material/refresh:")


def resume_for_session(stripe_session_id: str) -> None:
    order = shop.order_of_session(stripe_session_id)
    if order is not None and order.user_id == user.id and order.status == OrderStatus.PENDING:
        payment.pay_button(order, user=user, label="Resume payment")


def paid(found: Receipt) -> None:
    if st.session_state.get(StateKeys.CHECKOUT_ORDER_ID) == found.order.id:
        st.session_state.pop(StateKeys.CHECKOUT_ORDER_ID, None)
        st.session_state.pop(StateKeys.CHECKOUT_KEY, None)
        st.session_state[StateKeys.CHECKOUT_PAID_ORDER_ID] = found.order.id
    st.title("Thank you!")
    st.write("Your payment went through. Here is your receipt.")
    receipt_view.show(found)


def cancelled(order_id: int) -> None:
    st.title("Payment not completed")
    order = shop.customer_order(order_id, user.id)
    if order is None:
        st.error("We couldn't find that order for your account.", icon=":material/search_off:")
        return
    if order.status != OrderStatus.PENDING:
        st.info(f"Order **{order.number}** is {order.status}.", icon=":material/info:")
        return
    st.info(
        f"You left Stripe before paying. Order **{order.number}** is still waiting for payment "
        "and its items stay held for you for now. Nothing was charged.",
        icon=":material/pending:",
    )
    cancelled_now = payment.pay_or_cancel(
        order, user=user, label="Resume payment", key="return_cancel"
    )
    if cancelled_now:
        st.session_state[StateKeys.FLASH] = f"Order {order.number} is cancelled."
        st.rerun()


if auth.current_user() is None:
    ask_to_sign_in()
user = auth.require_role(Role.CUSTOMER)
links.arrived("payment_return")
kept = st.session_state.pop(StateKeys.RETURN_SESSION_ID, None)
if not session_id and kept:
    session_id = kept
    st.query_params["session_id"] = kept  # a reload (or a rerun) still knows the payment
if session_id:
    verified = verify(session_id)
    if verified is not None:
        paid(verified)
elif cancelled_order and cancelled_order.isdigit():
    cancelled(int(cancelled_order))
else:
    st.title("Payment")
    st.info("There is no payment to show here.", icon=":material/info:")
next_steps()
