"""A product as the shop shows it: a tile in the grid, or the full detail view."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from shopora.config import ROOT, get_settings
from shopora.errors import ShoporaError
from shopora.models import MAX_LINE_QUANTITY, Product
from shopora.ui.auth import SessionUser
from shopora.ui.components import basket
from shopora.ui.format import money, stock_badge
from shopora.ui.state import StateKeys

DATA = ROOT / "data"
PLACEHOLDER = DATA / "images" / "placeholder.svg"
DETAIL_PARAM = "product"


def image_path(image: str | None) -> str:
    """A product's picture: seed images live under data/ ("images/x.svg"), operator uploads
    under the project root ("var/uploads/<hash>.png")."""
    if image:
        path = Path(image)
        candidates = [path] if path.is_absolute() else [DATA / path, ROOT / path]
        for candidate in candidates:
            if candidate.is_file():
                return str(candidate)
    return str(PLACEHOLDER)


def price(product: Product) -> str:
    return money(product.price_cents, get_settings().currency)


def open_detail(slug: str) -> None:
    st.query_params[DETAIL_PARAM] = slug


def close_detail() -> None:
    st.query_params.pop(DETAIL_PARAM, None)


def tile(product: Product, *, user: SessionUser | None) -> None:
    """One product in the grid: picture, name, price, stock, quantity and "Add to cart"."""
    key = f"product_{product.id}"
    with st.container(border=True):
        st.image(image_path(product.image), width="stretch")
        st.button(
            f"**{product.name}**",
            key=f"{key}_open",
            type="tertiary",
            on_click=open_detail,
            args=(product.slug,),
            help="Show details",
        )
        st.markdown(
            f"**{price(product)}** &nbsp; "
            f"{stock_badge(product.available, product.low_stock_threshold)}"
        )
        buy_controls(product, user=user, key=key, narrow=True)


def buy_controls(
    product: Product, *, user: SessionUser | None, key: str, narrow: bool = False
) -> None:
    """Quantity and "Add to cart"; disabled when sold out or for staff, who only browse.
    `narrow` (a grid tile): a slimmer quantity and no icon, so the label fits four across."""
    sold_out = product.available <= 0
    allowed = basket.can_buy(user)
    left, right = st.columns([1, 2] if narrow else [2, 3], vertical_alignment="bottom")
    left.number_input(
        "Quantity",
        min_value=1,
        max_value=max(1, min(MAX_LINE_QUANTITY, product.available)),
        step=1,
        key=f"{key}_qty",
        disabled=sold_out or not allowed,
        label_visibility="collapsed",
    )
    right.button(
        "Sold out" if sold_out else "Add to cart",
        key=f"{key}_add",
        type="primary",
        icon=None if sold_out or narrow else ":material/add_shopping_cart:",
        disabled=sold_out or not allowed,
        width="stretch",
        on_click=_add,
        args=(product.id, product.name, f"{key}_qty", user),
    )
    notice = st.session_state.get(StateKeys.CART_NOTICE)
    if notice and notice[0] == product.id:
        st.session_state.pop(StateKeys.CART_NOTICE)
        st.error(notice[1], icon=":material/inventory:")


def _add(product_id: int, name: str, quantity_key: str, user: SessionUser | None) -> None:
    """on_click: runs before the page, so the cart count above the grid is already fresh
    (and a product that sold out since the page was drawn is refused with the reason)."""
    quantity = int(st.session_state.get(quantity_key) or 1)
    try:
        basket.add(user, product_id, quantity)
    except ShoporaError as exc:
        st.session_state[StateKeys.CART_NOTICE] = (product_id, exc.message)
        return
    st.session_state[StateKeys.FLASH] = f"Added {quantity} × {name} to your cart."


def detail(product: Product, *, user: SessionUser | None, category: str | None) -> None:
    """The product page: big picture, description, SKU, stock and "Add to cart"."""
    st.button(
        "Back to the shop", key="detail_back", icon=":material/arrow_back:", on_click=close_detail
    )
    picture, facts = st.columns([3, 2], gap="large")
    picture.image(image_path(product.image), width="stretch")
    with facts:
        if category:
            st.caption(category)
        st.title(product.name)
        st.markdown(
            f"### {price(product)} &nbsp; "
            f"{stock_badge(product.available, product.low_stock_threshold)}"
        )
        st.write(product.description)
        st.caption(f"SKU {product.sku}")
        if product.available > 0:
            st.caption(f"{product.available} available")
        buy_controls(product, user=user, key=f"detail_{product.id}")
