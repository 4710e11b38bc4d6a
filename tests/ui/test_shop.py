"""Shop page: browsing, filtering, sorting, paging, product detail and adding to the cart."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from shopora.models import CartItem, Product, User
from shopora.ui.state import StateKeys

SOLD_OUT = "cadence-mechanical-keyboard"


def shown(at: AppTest) -> list[str]:
    """Product names on the grid, in order."""
    return [b.label.strip("*") for b in at.button if b.key and b.key.endswith("_open")]


def test_the_grid_shows_the_first_page_of_the_catalog(page: Callable[..., AppTest]) -> None:
    at = page("shop").run()
    assert not at.exception
    assert len(shown(at)) == 12
    assert "Showing 1–12 of 20 products" in [c.value for c in at.caption]


def test_the_second_page_shows_the_rest(page: Callable[..., AppTest]) -> None:
    at = page("shop").run()
    at.pagination(key="shop_page").select(2).run()
    assert len(shown(at)) == 8


def test_a_category_narrows_the_grid_to_its_products(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    audio = products["aurora-wireless-headphones"].category_id
    at = page("shop").run()
    at.pills(key="shop_category").set_value("audio").run()
    assert set(shown(at)) == {p.name for p in products.values() if p.category_id == audio}
    assert len(shown(at)) == 4


def test_search_matches_words_in_the_name(page: Callable[..., AppTest]) -> None:
    at = page("shop").run()
    at.text_input(key="shop_search").input("stoneware mug").run()
    assert shown(at) == ["Ember Stoneware Mug"]


def test_the_price_range_keeps_products_inside_it(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = page("shop").run()
    at.select_slider(key="shop_price").set_range(0, 3000).run()
    cheap = {p.name for p in products.values() if p.price_cents <= 3000}
    assert set(shown(at)) == cheap and cheap


def test_in_stock_only_hides_sold_out_products(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = page("shop").run()
    at.text_input(key="shop_search").input("keyboard").run()
    assert shown(at) == [products[SOLD_OUT].name]
    at.toggle(key="shop_in_stock").set_value(True).run()
    assert shown(at) == []


def test_sorting_by_price_orders_the_grid(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    by_price = sorted(products.values(), key=lambda p: (p.price_cents, p.id))
    at = page("shop").run()
    at.selectbox(key="shop_sort").set_value("price_asc").run()
    assert shown(at) == [p.name for p in by_price[:12]]
    at.selectbox(key="shop_sort").set_value("price_desc").run()
    assert shown(at)[0] == by_price[-1].name


def test_nothing_matching_shows_the_empty_state_and_clearing_brings_everything_back(
    page: Callable[..., AppTest],
) -> None:
    at = page("shop").run()
    at.text_input(key="shop_search").input("no such thing anywhere").run()
    assert any("No products match" in m.value for m in at.markdown)
    at.button(key="shop_clear").click().run()
    assert len(shown(at)) == 12


def test_a_product_page_shows_its_details(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    at = page("shop")
    at.query_params["product"] = "aurora-wireless-headphones"
    at.run()
    assert not at.exception
    assert at.title[-1].value == "Aurora Wireless Headphones"
    assert any(products["aurora-wireless-headphones"].sku in c.value for c in at.caption)


def test_an_unknown_product_says_so(page: Callable[..., AppTest]) -> None:
    at = page("shop")
    at.query_params["product"] = "no-such-product"
    at.run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_an_anonymous_visitor_adds_to_the_cart_in_the_session(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    mug = products["ember-stoneware-mug"]
    at = page("shop").run()
    at.number_input(key=f"product_{mug.id}_qty").set_value(2)
    at.button(key=f"product_{mug.id}_add").click().run()
    assert not at.exception
    assert at.session_state[StateKeys.ANON_CART] == {mug.id: 2}
    assert "Added 2 × Ember Stoneware Mug" in at.toast[0].value


def test_a_customer_adds_to_the_cart_in_the_database(
    page: Callable[..., AppTest],
    people: dict[str, User],
    products: dict[str, Product],
    db: Callable[[], Session],
) -> None:
    mug = products["ember-stoneware-mug"]
    at = page("shop", as_user=people["customer"]).run()
    at.button(key=f"product_{mug.id}_add").click().run()
    with db() as session:
        lines = session.exec(select(CartItem)).all()
    assert [(line.product_id, line.quantity) for line in lines] == [(mug.id, 1)]
    assert StateKeys.ANON_CART not in at.session_state


def test_a_sold_out_product_cannot_be_added(
    page: Callable[..., AppTest], products: dict[str, Product]
) -> None:
    keyboard = products[SOLD_OUT]
    at = page("shop").run()
    button = at.button(key=f"product_{keyboard.id}_add")
    assert button.disabled and button.label == "Sold out"
    assert any(":gray-badge[Sold out]" in m.value for m in at.markdown)


def test_a_product_that_sells_out_meanwhile_is_refused_with_a_reason(
    page: Callable[..., AppTest], products: dict[str, Product], db: Callable[[], Session]
) -> None:
    lamp = products["lumen-led-desk-lamp"]
    at = page("shop").run()
    with db() as session:
        stored = session.get(Product, lamp.id)
        assert stored is not None
        stored.stock_on_hand = 0
        session.add(stored)
        session.commit()
    at.button(key=f"product_{lamp.id}_add").click().run()
    assert not at.exception
    assert "sold out" in at.error[0].value
    assert not at.session_state.get(StateKeys.ANON_CART)


def test_staff_browse_but_cannot_buy(
    page: Callable[..., AppTest], people: dict[str, User], products: dict[str, Product]
) -> None:
    mug = products["ember-stoneware-mug"]
    at = page("shop", as_user=people["operator"]).run()
    assert at.button(key=f"product_{mug.id}_add").disabled
    assert "cart and checkout are for customers" in at.info[0].value


def category_labels(at: AppTest) -> list[str]:
    return list(at.pills(key="shop_category").options)


def test_category_counts_follow_the_search_and_stock_filters(page: Callable[..., AppTest]) -> None:
    # given the whole catalog
    at = page("shop").run()
    assert "All (20)" in category_labels(at)
    # when the visitor searches for a word only mugs have
    at.text_input(key="shop_search").input("stoneware").run()
    # then each category counts only what that search would show in it
    labels = category_labels(at)
    assert "All (1)" in labels and "Audio (0)" in labels


def test_the_filters_wait_behind_an_expander_that_counts_the_active_ones(
    page: Callable[..., AppTest],
) -> None:
    at = page("shop").run()
    assert at.expander[0].label == "Search and filters"
    at.toggle(key="shop_in_stock").set_value(True).run()
    at.text_input(key="shop_search").input("mug").run()
    assert at.expander[0].label == "Search and filters · 2 active"
