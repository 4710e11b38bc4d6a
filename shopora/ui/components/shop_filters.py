"""The shop's filters: category pills with counts, and search, price range, stock and sort
behind an expander."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

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
PRICE_BOUNDS = "shop_price_bounds"  # the slider's full range, to tell a moved slider


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


def _active_count() -> int:
    """How many of the expander's filters differ from their defaults (for its label)."""
    state = st.session_state
    price, full = state.get(KEYS["price"]), state.get(PRICE_BOUNDS)
    moved_price = price is not None and full is not None and tuple(price) != tuple(full)
    searched = bool(str(state.get(KEYS["search"]) or "").strip())
    sorted_ = state.get(KEYS["sort"], "featured") != "featured"
    return sum((searched, moved_price, bool(state.get(KEYS["in_stock"])), sorted_))


def _refinements(bounds: tuple[int, int]) -> ProductFilter:
    """Search, price, stock and sort, behind an expander (on a phone they would otherwise
    fill the first screen before any product)."""
    currency = get_settings().currency
    stops = price_steps(*bounds)
    st.session_state[PRICE_BOUNDS] = (stops[0], stops[-1])
    active = _active_count()
    label = f"Search and filters · {active} active" if active else "Search and filters"
    with st.expander(label, icon=":material/tune:"):
        search_col, price_col = st.columns([1, 1], vertical_alignment="bottom")
        search = search_col.text_input(
            "Search",
            key=KEYS["search"],
            placeholder="Search by name, description or SKU",
            icon=":material/search:",
            on_change=_first_page,
        )
        low, high = price_col.select_slider(
            "Price",
            options=stops,
            value=(stops[0], stops[-1]),
            format_func=lambda cents: money(cents, currency),
            key=KEYS["price"],
            on_change=_first_page,
        )
        sort_col, stock_col = st.columns([1, 1], vertical_alignment="bottom")
        sort = sort_col.selectbox(
            "Sort by",
            options=list(SORT_LABELS),
            format_func=SORT_LABELS.__getitem__,
            key=KEYS["sort"],
            on_change=_first_page,
        )
        in_stock = stock_col.toggle("In stock only", key=KEYS["in_stock"], on_change=_first_page)
    return ProductFilter(
        search=search,
        min_price_cents=None if low == stops[0] else low,
        max_price_cents=None if high == stops[-1] else high,
        in_stock_only=in_stock,
        sort=sort,
    )


def show(
    categories: list[Category],
    bounds: tuple[int, int],
    counts_for: Callable[[ProductFilter], dict[int, int]],
) -> ProductFilter:
    """Render the filters; the ProductFilter they describe (page 1 until the pager says).
    Each category's count is what choosing it would show under the other filters."""
    refined = _refinements(bounds)
    counts = counts_for(refined)
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
    return replace(refined, category=None if category in (None, ALL) else category)
