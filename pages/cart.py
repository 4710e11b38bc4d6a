"""Cart: lines with quantities, a discount code checked as it is typed, shipping, totals,
and the way to checkout. Anonymous visitors and customers have carts; staff do not."""

import streamlit as st

from shopora.config import get_settings
from shopora.models import Role
from shopora.services.checkout import Quote
from shopora.ui import auth
from shopora.ui.components import basket, cart_line, links, options, totals
from shopora.ui.layout import page_setup
from shopora.ui.nav import CHECKOUT, SHOP, SIGN_IN
from shopora.ui.state import StateKeys

page_setup("Cart", ":material/shopping_cart:")
user = auth.current_user()
if user is not None and user.role != Role.CUSTOMER:
    auth.require_role(Role.CUSTOMER)


def empty_state() -> None:
    with st.container(border=True, horizontal_alignment="center"):
        st.markdown("### :material/remove_shopping_cart: Your cart is empty")
        st.write("Find something you like in the shop; it will wait for you here.")
        links.link(SHOP, "Browse the shop")


def blocked_reason(quote: Quote) -> str | None:
    if quote.cart.has_problems:
        return "Some items can't be bought as they are — adjust or remove the marked lines."
    error = quote.minimum_error()
    return error.message if error else None


def proceed(quote: Quote) -> None:
    reason = blocked_reason(quote)
    if reason:
        st.warning(reason, icon=":material/warning:")
    label = "Proceed to checkout" if user else "Sign in to check out"
    if not st.button(
        label,
        key="cart_proceed",
        type="primary",
        icon=":material/arrow_forward:",
        icon_position="right",
        disabled=not quote.can_check_out,
        width="stretch",
    ):
        return
    if user is None:
        st.session_state[StateKeys.AFTER_SIGN_IN] = "checkout"
        links.go(SIGN_IN)
    else:
        links.go(CHECKOUT)


def summary(quote: Quote) -> None:
    """Totals and the way on first (on a phone they are then in the first screen), then
    the shipping method and code that change them."""
    with st.container(border=True):
        st.subheader("Summary")
        totals.show(
            quote.totals,
            currency=get_settings().currency,
            code=quote.discount_code,
            method=quote.method,
        )
        proceed(quote)
        if user is None:
            st.caption("You'll sign in or create an account next; your cart comes with you.")
    with st.container(border=True):
        options.shipping_choice(key="cart_method")
        options.discount_field(key="cart_code")
        options.discount_feedback(quote)


st.title("Your cart")
quote = basket.quote(user)
if quote.cart.is_empty:
    empty_state()
    st.stop()
lines, side = st.columns([3, 2], gap="large")
with lines, st.container(key="cart_lines"):
    st.caption(f"{quote.cart.item_count} item(s)")
    for line in quote.cart.lines:
        cart_line.show(line, user=user)
    links.link(SHOP, "Continue shopping", icon=":material/arrow_back:")
with side:
    summary(quote)
