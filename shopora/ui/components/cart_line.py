"""One cart line: picture, name, unit price, quantity (bounded by what is available),
line total, remove, and what is wrong with it, if anything."""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings
from shopora.errors import ShoporaError
from shopora.models import MAX_LINE_QUANTITY
from shopora.services.cart import CartLine
from shopora.ui.auth import SessionUser
from shopora.ui.components import basket
from shopora.ui.components.product_card import image_path
from shopora.ui.format import money
from shopora.ui.state import StateKeys


def qty_key(product_id: int) -> str:
    return f"cart_qty_{product_id}"


def upper_bound(line: CartLine) -> int:
    """1..min(99, available); a line already above that (stock fell) keeps its own value
    so the customer can see it and bring it down."""
    return max(1, min(MAX_LINE_QUANTITY, line.available), line.quantity)


def _change(user: SessionUser | None, product_id: int, before: int) -> None:
    key = qty_key(product_id)
    try:
        basket.set_quantity(user, product_id, int(st.session_state[key]))
    except ShoporaError as exc:
        st.session_state[key] = before
        st.session_state[StateKeys.CART_NOTICE] = (product_id, exc.message)


def _remove(user: SessionUser | None, product_id: int, name: str) -> None:
    basket.remove(user, product_id)
    st.session_state.pop(qty_key(product_id), None)
    st.session_state[StateKeys.FLASH] = f"Removed {name} from your cart."


def _problem_badge(line: CartLine) -> str:
    problem = line.problem
    return f" &nbsp; :red-badge[{problem.capitalize()}]" if problem else ""


def show(line: CartLine, *, user: SessionUser | None) -> None:
    currency = get_settings().currency
    key = qty_key(line.product_id)
    if key not in st.session_state or st.session_state[key] != line.quantity:
        st.session_state[key] = line.quantity
    with st.container(border=True):
        picture, about, amount, total = st.columns([1, 3, 2, 2], vertical_alignment="center")
        picture.image(image_path(line.image), width="stretch")
        about.markdown(f"**{line.name}**{_problem_badge(line)}")
        about.caption(f"{money(line.unit_price_cents, currency)} each · SKU {line.sku}")
        amount.number_input(
            "Quantity",
            min_value=1,
            max_value=upper_bound(line),
            step=1,
            key=key,
            disabled=not line.active or line.available <= 0,
            on_change=_change,
            args=(user, line.product_id, line.quantity),
            help=f"{max(line.available, 0)} available",
        )
        total.markdown(f"**{money(line.line_total_cents, currency)}**")
        total.button(
            "Remove",
            key=f"cart_remove_{line.product_id}",
            icon=":material/delete:",
            type="tertiary",
            on_click=_remove,
            args=(user, line.product_id, line.name),
        )
        notice = st.session_state.get(StateKeys.CART_NOTICE)
        if notice and notice[0] == line.product_id:
            st.session_state.pop(StateKeys.CART_NOTICE)
            st.error(notice[1], icon=":material/inventory:")
