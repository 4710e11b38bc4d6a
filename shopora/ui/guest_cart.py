"""Where a visitor's cart lives before they sign in.

In the database under the browser's guest cookie (set by the server on the first page load,
see shopora.server.GuestCookie), so a reload or a new tab keeps it. Without that cookie (an
AppTest, a browser refusing cookies) it falls back to this Streamlit session.
"""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings
from shopora.services import guest_carts
from shopora.ui.facade import shop
from shopora.ui.state import StateKeys


def token() -> str | None:
    """This browser's guest id, when it sent a valid one."""
    try:
        value = st.context.cookies.get(get_settings().guest_cookie_name)
    except (AttributeError, RuntimeError):
        return None
    return value if isinstance(value, str) and guest_carts.is_token(value) else None


def items() -> dict[int, int]:
    """The guest's {product id: quantity}, in the order they were added."""
    guest = token()
    if guest is None:
        return dict(st.session_state.get(StateKeys.ANON_CART) or {})
    return shop.guest_cart_items(guest)


def store(new_items: dict[int, int]) -> None:
    guest = token()
    if guest is None:
        st.session_state[StateKeys.ANON_CART] = new_items
        return
    shop.save_guest_cart(guest, new_items)
