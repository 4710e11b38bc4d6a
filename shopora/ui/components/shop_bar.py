"""The shop's own navigation bar, at the top of every shop page.

Streamlit's top navigation folds into the sidebar on a phone, behind a chevron; this bar
stays in the page, so the cart (with its count) and the way to sign in are always in
view. Each destination appears once: the bar is the only "Cart" and "Sign in" link.
"""

from __future__ import annotations

import streamlit as st

from shopora.ui import nav
from shopora.ui.auth import SessionUser
from shopora.ui.components import basket, links


def cart_label(count: int) -> str:
    return f"Cart ({count})"


def show(user: SessionUser | None) -> None:
    """Shop · Cart (n) · My orders · Account for a customer; Shop · Cart (n) · Sign in
    for a visitor."""
    with st.container(horizontal=True, gap="small", key="shop_bar", vertical_alignment="center"):
        links.link(nav.SHOP, "Shop")
        links.link(nav.CART, cart_label(basket.item_count(user)))
        if user is None:
            links.link(nav.SIGN_IN, "Sign in", icon=":material/login:")
            return
        links.link(nav.MY_ORDERS, "My orders")
        links.link(nav.ACCOUNT, "Account")
