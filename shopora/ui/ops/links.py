"""Links between the operator pages that also work when a page runs on its own."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

ORDERS = "admin_orders"
PRODUCTS = "admin_products"


def link(url_path: str, label: str, *, icon: str | None = None, **params: int | str) -> None:
    """A link to another page (pages/<url_path>.py) with query parameters.

    st.page_link only knows pages registered by Home.py's st.navigation; a page run on its
    own (a fresh server's first request, AppTest) falls back to a plain relative link.
    """
    query = {name: str(value) for name, value in params.items()}
    try:
        st.page_link(f"pages/{url_path}.py", label=label, icon=icon, query_params=query)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}]({url_path}?{urlencode(query)})")


def order_link(order_id: int, label: str) -> None:
    """Opens the order in this tab (so no "open in new" icon)."""
    link(ORDERS, label, icon=":material/receipt_long:", order=order_id)


def view_link(view: str, label: str, *, icon: str | None = None) -> None:
    """The orders list filtered to a saved view (Unfulfilled, Needs attention, ...)."""
    link(ORDERS, label, icon=icon, view=view)


def product_link(product_id: int, label: str) -> None:
    link(PRODUCTS, label, icon=":material/inventory_2:", product=product_id)
