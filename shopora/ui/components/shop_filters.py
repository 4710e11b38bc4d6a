"""The shop's filter bar: category pills with counts, search, price range, stock, sort."""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings
from shopora.models import Category
from shopora.services.catalog import ProductFilter, Sort
from shopora.ui.format import money

ALL = "all"
PRICE_STEP_CENTS = 500
SORT_LABELS: dict[Sort, str] = {
    "featured": "Featured",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest",
    "name": "Name (A–Z)",
}
KEYS = {
    "search": "shop_search",
    "category": "shop_category",
    "price": "shop_price",
    "in_stock": "shop_in_stock",
    "sort": "shop_sort",
    "page": "shop_page",
}


def price_steps(low: int, high: int) -> list[int]:
    """Slider stops in whole $5 steps that include every price between `low` and `high`."""
    first = low // PRICE_STEP_CENTS * PRICE_STEP_CENTS
    last = max(-(-high // PRICE_STEP_CENTS) * PRICE_STEP_CENTS, first + PRICE_STEP_CENTS)
    return list(range(first, last + PRICE_STEP_CENTS, PRICE_STEP_CENTS))


def clear() -> None:
    """Back to the whole catalog (an on_click callback: runs before the widgets exist)."""
    for key in KEYS.values():
        st.session_state.pop(key, None)


def _first_page() -> None:
    st.session_state.pop(KEYS["page"], None)


def show(
    categories: list[Category], counts: dict[int, int], bounds: tuple[int, int]
) -> ProductFilter:
    """Render the filters; the ProductFilter they describe (page 1 until the pager says)."""
    currency = get_settings().currency
    search_col, price_col, sort_col, stock_col = st.columns(
        [4, 3, 2, 2], vertical_alignment="bottom"
    )
    search = search_col.text_input(
        "Search",
        key=KEYS["search"],
        placeholder="Search by name, description or SKU",
        icon=":material/search:",
        on_change=_first_page,
    )
    stops = price_steps(*bounds)
    low, high = price_col.select_slider(
        "Price",
        options=stops,
        value=(stops[0], stops[-1]),
        format_func=lambda cents: money(cents, currency),
        key=KEYS["price"],
        on_change=_first_page,
    )
    sort = sort_col.selectbox(
        "Sort by",
        options=list(SORT_LABELS),
        format_func=SORT_LABELS.__getitem__,
        key=KEYS["sort"],
        on_change=_first_page,
    )
    in_stock = stock_col.toggle("In stock only", key=KEYS["in_stock"], on_change=_first_page)
    labels = {ALL: f"All ({sum(counts.values())})"}
    labels |= {c.slug: f"{c.name} ({counts.get(c.id or 0, 0)})" for c in categories}
    category = st.pills(
        "Category",
        options=list(labels),
        format_func=labels.__getitem__,
        default=ALL,
        key=KEYS["category"],
        on_change=_first_page,
        label_visibility="collapsed",
    )
    return ProductFilter(
        category=None if category in (None, ALL) else category,
        search=search,
        min_price_cents=None if low == stops[0] else low,
        max_price_cents=None if high == stops[-1] else high,
        in_stock_only=in_stock,
        sort=sort,
    )
