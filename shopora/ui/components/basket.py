"""The visitor's cart wherever it lives: the customer's cart for a signed-in customer, the
guest cart ({product id: quantity}, see shopora.ui.guest_cart) for an anonymous visitor. Both
follow the cart service's rules."""

from __future__ import annotations

import streamlit as st

from shopora.models import Role, ShippingMethod
from shopora.services.checkout import Quote
from shopora.ui import guest_cart
from shopora.ui.auth import SessionUser
from shopora.ui.facade import shop
from shopora.ui.state import StateKeys


def can_buy(user: SessionUser | None) -> bool:
    """Anonymous visitors and customers fill carts; operators and analysts only browse."""
    return user is None or user.role == Role.CUSTOMER


def anonymous_items() -> dict[int, int]:
    return guest_cart.items()


def add(user: SessionUser | None, product_id: int, quantity: int) -> None:
    """Add to the cart; raises the cart service's refusal (sold out, only N left, ...)."""
    if user is not None:
        shop.add_to_cart(user.id, product_id, quantity)
        return
    items = anonymous_items()
    guest_cart.store(shop.checked_guest_items(items, product_id, quantity))


def set_quantity(user: SessionUser | None, product_id: int, quantity: int) -> None:
    """Make the line hold exactly `quantity`, under the same rules as adding."""
    if user is not None:
        shop.set_cart_quantity(user.id, product_id, quantity)
        return
    items = anonymous_items()
    others = {pid: qty for pid, qty in items.items() if pid != product_id}
    checked = shop.checked_guest_items(others, product_id, quantity)
    # Same order as before, so the line does not jump to the bottom of the cart.
    guest_cart.store({pid: checked[pid] for pid in items})


def remove(user: SessionUser | None, product_id: int) -> None:
    if user is None:
        items = anonymous_items()
        items.pop(product_id, None)
        guest_cart.store(items)
        return
    shop.remove_from_cart(user.id, product_id)


def item_count(user: SessionUser | None) -> int:
    if user is None:
        return sum(anonymous_items().values())
    if not can_buy(user):
        return 0
    return shop.cart_item_count(user.id)


def chosen_method() -> ShippingMethod:
    return ShippingMethod(st.session_state.get(StateKeys.CART_METHOD) or ShippingMethod.STANDARD)


def chosen_code() -> str:
    return str(st.session_state.get(StateKeys.CART_CODE) or "")


def quote(user: SessionUser | None) -> Quote:
    """The cart priced with the shipping method and code the visitor chose."""
    method, code = chosen_method(), chosen_code() or None
    if user is None:
        return shop.quote_guest(anonymous_items(), method, code)
    return shop.quote_customer(user.id, method, code)
