"""Checkout: shipping address, method and code → one pending order (a double click or a
resubmit finds the same order) → pay on Stripe in a new tab while this page watches the
order turn paid."""

import uuid

import streamlit as st

from shopora.config import get_settings
from shopora.errors import ShoporaError
from shopora.models import Order, OrderStatus, Role
from shopora.services.checkout import Quote
from shopora.ui.auth import require_role
from shopora.ui.components import (
    address_form,
    basket,
    links,
    options,
    payment,
    test_card,
    totals,
)
from shopora.ui.facade import shop
from shopora.ui.layout import page_setup
from shopora.ui.nav import CART, MY_ORDERS, SHOP
from shopora.ui.state import StateKeys

page_setup("Checkout", ":material/payments:")
user = require_role(Role.CUSTOMER)
links.arrived("checkout")


def forget_attempt() -> None:
    """The next "Place order" starts a new order (new idempotency key)."""
    st.session_state.pop(StateKeys.CHECKOUT_ORDER_ID, None)
    st.session_state.pop(StateKeys.CHECKOUT_KEY, None)


def load(order_id: int) -> Order | None:
    return shop.customer_order(order_id, user.id)


@st.fragment(run_every=2)
def payment_status(order_id: int) -> None:
    """Polls the order; when the Stripe tab has paid it, the whole page moves on."""
    order = load(order_id)
    if order is not None and order.status == OrderStatus.PENDING:
        st.info(
            "**Waiting for payment…** Complete it in the Stripe tab; this page updates by itself.",
            icon=":material/hourglass_top:",
        )
        return
    st.rerun(scope="app")


def pending(order: Order) -> None:
    st.success(
        f"Order **{order.number}** is placed and its items are held for you. Pay to complete it.",
        icon=":material/check_circle:",
    )
    test_card.emulator_banner()
    pay, summary = st.columns([3, 2], gap="large")
    with pay:
        st.subheader("Pay")
        payment.pay_button(order, user=user)
        test_card.show()
        payment_status(order.id or 0)
        if payment.cancel_button(order.id or 0, order.number, user=user, key="checkout_cancel"):
            forget_attempt()
            st.session_state[StateKeys.FLASH] = f"Order {order.number} is cancelled."
            st.rerun()
    with summary, st.container(border=True):
        st.subheader("Order summary")
        totals.order_lines(shop.order_items(order.id or 0), currency=order.currency)
        st.divider()
        totals.show_order(order)


def finished(order: Order) -> None:
    """The order left "pending" (paid in the other tab, or cancelled): start fresh."""
    forget_attempt()
    if order.paid_at is not None:
        st.session_state[StateKeys.CHECKOUT_PAID_ORDER_ID] = order.id
    else:
        st.session_state[StateKeys.FLASH] = f"Order {order.number} was cancelled."
    st.rerun()


def paid_banner(order_id: int) -> None:
    order = load(order_id)
    if order is None:
        return
    with st.container(border=True):
        st.success(
            f"**Paid — verified with Stripe.** Thank you! Order **{order.number}** is confirmed.",
            icon=":material/verified:",
        )
        st.write("Follow it under My orders: you'll see there when it ships.")
        with st.container(horizontal=True):
            links.link(
                MY_ORDERS,
                "View the receipt",
                icon=":material/receipt_long:",
                query_params={"order": str(order.id)},
            )
            links.link(SHOP, "Continue shopping", icon=":material/storefront:")


def place(submitted: address_form.Submitted) -> None:
    key = st.session_state.setdefault(StateKeys.CHECKOUT_KEY, uuid.uuid4().hex)
    try:
        order = shop.place_order(
            user_id=user.id,
            address=submitted.address,
            method=basket.chosen_method(),
            code=basket.chosen_code() or None,
            idempotency_key=key,
        )
    except ShoporaError as exc:
        submitted.refuse(exc.field, exc.message)
        return
    st.session_state[StateKeys.CHECKOUT_ORDER_ID] = order.id
    # Part of the "Place order" action: open the Stripe page now, so the next screen has
    # its link (if Stripe cannot be reached, the pending panel offers a button to retry).
    payment.open_session(order.id or 0, user.id)
    st.session_state.pop(StateKeys.CHECKOUT_PAID_ORDER_ID, None)
    st.rerun()


def summary(quote: Quote) -> None:
    currency = get_settings().currency
    with st.container(border=True):
        st.subheader("Delivery and discount")
        options.shipping_choice(key="checkout_method")
        options.discount_field(key="checkout_code")
        options.discount_feedback(quote)
    with st.container(border=True):
        st.subheader("Order summary")
        totals.lines(quote.cart, currency=currency)
        st.divider()
        totals.show(quote.totals, currency=currency, code=quote.discount_code, method=quote.method)
    links.link(CART, "Edit cart", icon=":material/edit:")


def new_checkout(paid_id: int | None) -> None:
    quote = basket.quote(user)
    if quote.cart.is_empty:
        if paid_id:
            paid_banner(paid_id)
            return
        with st.container(border=True, horizontal_alignment="center"):
            st.markdown("### :material/shopping_cart: Nothing to check out")
            st.write("Your cart is empty.")
            links.link(SHOP, "Browse the shop")
        return
    st.session_state.pop(StateKeys.CHECKOUT_PAID_ORDER_ID, None)
    if not quote.can_check_out:
        reason = quote.minimum_error()
        st.warning(
            reason.message if reason else "Some items in your cart can't be bought as they are.",
            icon=":material/warning:",
        )
        links.link(CART, "Review your cart")
    form, side = st.columns([3, 2], gap="large")
    with side:
        summary(quote)
    with form:
        submitted = address_form.show(user, shop.last_order(user.id), can_place=quote.can_check_out)
        if submitted is not None:
            place(submitted)


st.title("Checkout")
order_id = st.session_state.get(StateKeys.CHECKOUT_ORDER_ID)
current = load(order_id) if order_id else None
if order_id and current is None:
    forget_attempt()
if current is not None and current.status == OrderStatus.PENDING:
    pending(current)
elif current is not None:
    finished(current)
else:
    new_checkout(st.session_state.get(StateKeys.CHECKOUT_PAID_ORDER_ID))
