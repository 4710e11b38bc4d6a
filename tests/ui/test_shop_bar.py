"""The shop bar: on every shop page the cart (with its count) and the way to sign in or to
one's orders, each exactly once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from shopora.models import Product, User
from shopora.ui.state import StateKeys

MUG = "ember-stoneware-mug"


def links_named(at: AppTest, label: str) -> list[str]:
    """Markdown links (how a page link renders outside st.navigation) labelled `label`,
    or `label (n)`."""
    return [m.value for m in at.markdown if m.value.startswith((f"[{label}]", f"[{label} ("))]


@pytest.mark.parametrize("name", ["shop", "cart", "account", "payment_return"])
def test_a_visitor_sees_the_cart_and_sign_in_once_on_every_page(
    name: str, page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = page(name)
    at.session_state[StateKeys.ANON_CART] = {products[MUG].id: 2}
    at.run()
    assert not at.exception
    assert links_named(at, "Cart") == ["[Cart (2)](cart)"]
    assert links_named(at, "Sign in") == ["[Sign in](account)"]


@pytest.mark.parametrize(
    "name", ["shop", "cart", "checkout", "my_orders", "account", "payment_return"]
)
def test_a_customer_sees_the_cart_and_their_orders_once_on_every_page(
    name: str, page: Callable[..., AppTest], people: dict[str, User]
) -> None:
    at = page(name, as_user=people["customer"]).run()
    assert not at.exception
    assert links_named(at, "Cart") == ["[Cart (0)](cart)"]
    assert "[My orders](my_orders)" in links_named(at, "My orders")
    assert links_named(at, "Sign in") == []


def test_staff_get_no_shop_bar(page: Callable[..., AppTest], people: dict[str, User]) -> None:
    at = page("shop", as_user=people["operator"]).run()
    assert links_named(at, "Cart") == []
