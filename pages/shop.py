"""Shop: the catalog as a filterable grid, and one product's page (?product=<slug>).

Anyone may browse; anonymous visitors and customers fill a cart, staff only look.
"""

from dataclasses import replace

import streamlit as st

from shopora.errors import ShoporaError
from shopora.services.catalog import ProductFilter, ProductPage
from shopora.ui import auth, errors
from shopora.ui.components import basket, product_card, shop_filters
from shopora.ui.facade import shop
from shopora.ui.layout import page_setup

PER_ROW = 4
PER_PAGE = 12

page_setup("Shop", ":material/storefront:")
user = auth.current_user()


def header(title_text: str | None) -> None:
    if title_text:
        st.title(title_text)
    if user is not None and not basket.can_buy(user):
        st.info(
            f"You're signed in as an {user.role}: you can browse, but "
            "the cart and checkout are for customers.",
            icon=":material/visibility:",
        )


def product_view(slug: str) -> None:
    try:
        product, category = shop.product_with_category(slug)
    except ShoporaError as exc:
        errors.show(exc)
        st.button("Back to the shop", key="missing_back", on_click=product_card.close_detail)
        return
    product_card.detail(product, user=user, category=category)


def grid(found: ProductPage) -> None:
    """Four to a row; on a phone each row wraps into two (see shopora.ui.theme)."""
    with st.container(key="shop_grid"):
        for start in range(0, len(found.items), PER_ROW):
            columns = st.columns(PER_ROW)
            row = found.items[start : start + PER_ROW]
            for column, product in zip(columns, row, strict=False):
                with column:
                    product_card.tile(product, user=user)


def empty_state() -> None:
    with st.container(border=True, horizontal_alignment="center"):
        st.markdown("### :material/search_off: No products match")
        st.write("Try another word, a wider price range, or another category.")
        st.button("Clear filters", key="shop_clear", on_click=shop_filters.clear, type="primary")


def catalog_view() -> None:
    facts = shop.catalog_facts()
    wanted = shop_filters.show(facts.categories, facts.price_bounds, shop.category_counts)
    page = st.session_state.get(shop_filters.KEYS["page"], 1)
    try:
        found = shop.find_products(_paged(wanted, page))
    except ShoporaError as exc:
        errors.show(exc)
        return
    if found.total == 0:
        empty_state()
        return
    first = (found.page - 1) * found.per_page + 1
    st.caption(f"Showing {first}–{first + len(found.items) - 1} of {found.total} products")
    grid(found)
    if found.pages > 1:
        st.pagination(found.pages, key=shop_filters.KEYS["page"], width="stretch")


def _paged(filters: ProductFilter, page: int) -> ProductFilter:
    return replace(filters, page=page, per_page=PER_PAGE)


slug = st.query_params.get(product_card.DETAIL_PARAM)
header(None if slug else "Shop")
if slug:
    product_view(slug)
else:
    catalog_view()
