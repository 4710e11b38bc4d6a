"""Cart page: lines and their quantity bounds, removing, discount preview, shipping, totals
and the way on to checkout, for anonymous visitors and customers."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from shopora.config import ROOT
from shopora.models import CartItem, Product, User
from shopora.services import cart
from shopora.ui.state import StateKeys

EARBUDS = "driftwood-true-wireless-earbuds"  # 3 in stock
MUG = "ember-stoneware-mug"


def anonymous_cart(page: Callable[..., AppTest], items: dict[int, int]) -> AppTest:
    at = page("cart")
    at.session_state[StateKeys.ANON_CART] = items
    return at.run()


def set_stock(db: Callable[[], Session], product_id: int | None, stock: int) -> None:
    with db() as session:
        product = session.get(Product, product_id)
        assert product is not None
        product.stock_on_hand = stock
        session.add(product)
        session.commit()


def test_an_empty_cart_points_to_the_shop(page: Callable[..., AppTest]) -> None:
    at = page("cart").run()
    assert not at.exception
    assert any("Your cart is empty" in m.value for m in at.markdown)


def test_an_anonymous_cart_shows_its_lines_and_totals(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    mug = products[MUG]
    at = anonymous_cart(page, {mug.id: 2})
    assert not at.exception
    assert any(m.value.startswith(f"**{mug.name}**") for m in at.markdown)
    assert at.number_input(key=f"cart_qty_{mug.id}").value == 2
    assert "**$41.99**" in [m.value for m in at.markdown]  # $36.00 + $5.99 standard shipping


def test_quantity_is_bounded_by_what_is_available(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    earbuds = products[EARBUDS]
    at = anonymous_cart(page, {earbuds.id: 1})
    field = at.number_input(key=f"cart_qty_{earbuds.id}")
    assert (field.min, field.max) == (1, 3)
    field.set_value(3).run()
    assert at.session_state[StateKeys.ANON_CART] == {earbuds.id: 3}


def test_a_quantity_above_what_is_left_is_refused_with_the_reason(
    page: Callable[..., AppTest], products: dict[str, Product], db: Callable[[], Session]
) -> None:
    earbuds = products[EARBUDS]
    at = anonymous_cart(page, {earbuds.id: 1})
    set_stock(db, earbuds.id, 2)  # someone bought one meanwhile
    at.number_input(key=f"cart_qty_{earbuds.id}").set_value(3).run()
    assert not at.exception
    assert "Only 2 of Driftwood True Wireless Earbuds left." in at.error[0].value
    assert at.session_state[StateKeys.ANON_CART] == {earbuds.id: 1}
    assert at.number_input(key=f"cart_qty_{earbuds.id}").value == 1


def test_a_customer_changes_a_quantity_in_the_database(
    page: Callable[..., AppTest],
    people: dict[str, User],
    products: dict[str, Product],
    db: Callable[[], Session],
) -> None:
    customer, mug = people["customer"], products[MUG]
    with db() as session:
        cart.add_item(session=session, user_id=customer.id or 0, product_id=mug.id or 0)
    at = page("cart", as_user=customer).run()
    at.number_input(key=f"cart_qty_{mug.id}").set_value(4).run()
    with db() as session:
        assert session.exec(select(CartItem.quantity)).all() == [4]


def test_removing_the_last_line_empties_the_cart(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    mug = products[MUG]
    at = anonymous_cart(page, {mug.id: 1})
    at.button(key=f"cart_remove_{mug.id}").click().run()
    assert at.session_state[StateKeys.ANON_CART] == {}
    assert any("Your cart is empty" in m.value for m in at.markdown)


def test_a_sold_out_line_is_marked_and_blocks_checkout(
    page: Callable[..., AppTest], products: dict[str, Product], db: Callable[[], Session]
) -> None:
    mug = products[MUG]
    set_stock(db, mug.id, 0)
    at = anonymous_cart(page, {mug.id: 1})
    assert any(":red-badge[Sold out]" in m.value for m in at.markdown)
    assert at.number_input(key=f"cart_qty_{mug.id}").disabled
    assert at.button(key="cart_proceed").disabled


def test_an_expired_code_shows_why_it_is_refused(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = anonymous_cart(page, {products[MUG].id: 2})
    at.text_input(key="cart_code").input("expired").run()
    assert not at.exception
    assert "EXPIRED expired on" in at.error[0].value
    assert at.session_state[StateKeys.CART_CODE] == "expired"


def test_welcome10_takes_ten_percent_off_the_preview(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = anonymous_cart(page, {products[MUG].id: 2})  # $36.00
    at.text_input(key="cart_code").input("WELCOME10").run()
    assert "**WELCOME10** applied: you save $3.60." in at.success[0].value
    assert "Discount (WELCOME10)" in [m.value for m in at.markdown]


def test_express_shipping_is_priced_and_remembered_for_checkout(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = anonymous_cart(page, {products[MUG].id: 2})
    at.radio(key="cart_method").set_value("express").run()
    assert at.session_state[StateKeys.CART_METHOD] == "express"
    assert "Shipping (Express)" in [m.value for m in at.markdown]


def test_an_anonymous_visitor_signs_in_before_checkout(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = anonymous_cart(page, {products[MUG].id: 2})
    at.button(key="cart_proceed").click().run()
    assert not at.exception
    assert at.session_state[StateKeys.AFTER_SIGN_IN] == "checkout"


def test_staff_have_no_cart(page: Callable[..., AppTest], people: dict[str, User]) -> None:
    at = page("cart", as_user=people["analyst"]).run()
    assert "This page is for customers" in at.error[0].value


def test_through_the_app_proceeding_opens_sign_in_with_the_cart_kept(
    shop_db: str, products: dict[str, Product]
) -> None:
    mug = products[MUG]
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=20)
    at.session_state[StateKeys.ANON_CART] = {mug.id: 1}
    at.run()
    at.switch_page("pages/cart.py").run()
    at.button(key="cart_proceed").click().run()
    assert not at.exception
    assert at.title[0].value == "Sign in to Shopora"
    assert "your cart comes with you" in at.info[0].value
    assert at.session_state[StateKeys.ANON_CART] == {mug.id: 1}


def test_the_apply_button_applies_a_typed_code(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    # given a code typed but not yet confirmed with Enter
    at = anonymous_cart(page, {products[MUG].id: 2})
    at.session_state["cart_code"] = "WELCOME10"
    # when the customer presses Apply
    at.button(key="cart_code_apply").click().run()
    # then the code is remembered for checkout and its saving shown
    assert at.session_state[StateKeys.CART_CODE] == "WELCOME10"
    assert "**WELCOME10** applied: you save $3.60." in at.success[0].value


def test_freeship_shows_the_shipping_it_waived_not_a_zero_discount(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = anonymous_cart(page, {products[MUG].id: 2})  # $36.00: standard shipping $5.99
    at.text_input(key="cart_code").input("FREESHIP").run()
    assert not at.exception
    assert "free shipping, you save $5.99" in at.success[0].value
    rows = [m.value for m in at.markdown]
    assert "~~$5.99~~ Free" in rows
    assert not any(row.startswith("Discount") for row in rows)
    assert "FREESHIP saved $5.99: the shipping fee is waived." in [c.value for c in at.caption]
