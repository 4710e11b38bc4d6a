"""Catalog browsing: every filter, sort order and paging rule, against a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from shopora.errors import NotFound, ValidationFailed
from shopora.models import Category
from shopora.services.catalog import (
    ProductFilter,
    ProductPage,
    category_counts,
    get_product,
    list_categories,
    list_products,
    price_bounds,
)
from tests.factories import make_category, make_product


def names(page: ProductPage) -> list[str]:
    return [product.name for product in page.items]


def browse(session: Session, **filters: Any) -> ProductPage:
    return list_products(session=session, filters=ProductFilter(**filters))


@pytest.fixture
def kitchen(session: Session) -> Category:
    return make_category(session, slug="kitchen", name="Kitchen")


# --- filters -----------------------------------------------------------------------------


def test_without_filters_every_active_product_is_listed(session: Session) -> None:
    # given
    make_product(session, name="Kettle")
    make_product(session, name="Mug")
    make_product(session, name="Retired", active=False)

    # when
    page = list_products(session=session)

    # then
    assert sorted(names(page)) == ["Kettle", "Mug"]
    assert page.total == 2


def test_inactive_products_are_listed_when_asked_for(session: Session) -> None:
    # given
    make_product(session, name="Kettle")
    make_product(session, name="Retired", active=False)

    # when
    page = list_products(session=session, include_inactive=True)

    # then
    assert sorted(names(page)) == ["Kettle", "Retired"]


def test_the_category_filter_keeps_only_that_categorys_products(
    session: Session, kitchen: Category
) -> None:
    # given
    make_product(session, name="Kettle", category_id=kitchen.id)
    make_product(session, name="Tote")

    # when
    page = browse(session, category="kitchen")

    # then
    assert names(page) == ["Kettle"]
    assert page.total == 1


def test_an_unknown_category_matches_nothing(session: Session) -> None:
    # given
    make_product(session, name="Kettle")

    # when
    page = browse(session, category="no-such-category")

    # then
    assert page.items == []
    assert page.total == 0


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("aurora", ["Aurora Headphones"]),
        ("AURORA", ["Aurora Headphones"]),
        ("noise-cancelling", ["Aurora Headphones"]),
        ("sku-aur", ["Aurora Headphones"]),
        ("aurora headphones", ["Aurora Headphones"]),
        ("aurora kettle", []),
        ("  ", ["Aurora Headphones", "Pour-over Kettle"]),
    ],
)
def test_search_matches_every_word_in_name_description_or_sku_ignoring_case(
    session: Session, search: str, expected: list[str]
) -> None:
    # given
    make_product(
        session, name="Aurora Headphones", description="Noise-cancelling.", sku="SKU-AUR-1"
    )
    make_product(session, name="Pour-over Kettle", description="Gooseneck.", sku="SKU-KET-1")

    # when
    page = browse(session, search=search, sort="name")

    # then
    assert names(page) == expected


def test_search_treats_like_wildcards_as_plain_characters(session: Session) -> None:
    # given
    make_product(session, name="100% Cotton Tote")
    make_product(session, name="1000 Piece Puzzle")

    # when
    percent = browse(session, search="100%")
    underscore = browse(session, search="_")

    # then
    assert names(percent) == ["100% Cotton Tote"]
    assert names(underscore) == []


def test_price_bounds_filter_inclusively(session: Session) -> None:
    # given
    for price in (999, 1500, 2500, 4000):
        make_product(session, name=f"At {price}", price_cents=price)

    # when
    page = browse(session, min_price_cents=1500, max_price_cents=2500, sort="price_asc")

    # then
    assert names(page) == ["At 1500", "At 2500"]


def test_a_minimum_price_alone_keeps_everything_from_that_price(session: Session) -> None:
    # given
    make_product(session, name="Cheap", price_cents=500)
    make_product(session, name="Dear", price_cents=5000)

    # when / then
    assert names(browse(session, min_price_cents=501)) == ["Dear"]
    assert names(browse(session, max_price_cents=500)) == ["Cheap"]


def test_in_stock_only_hides_products_whose_stock_is_all_reserved_or_gone(
    session: Session,
) -> None:
    # given
    make_product(session, name="Plenty", stock_on_hand=5, reserved=1)
    make_product(session, name="All held", stock_on_hand=3, reserved=3)
    make_product(session, name="Gone", stock_on_hand=0)

    # when
    in_stock = browse(session, in_stock_only=True)
    everything = browse(session)

    # then
    assert names(in_stock) == ["Plenty"]
    assert everything.total == 3


def test_filters_combine(session: Session, kitchen: Category) -> None:
    # given
    make_product(session, name="Steel Kettle", category_id=kitchen.id, price_cents=3000)
    make_product(session, name="Cheap Kettle", category_id=kitchen.id, price_cents=900)
    make_product(session, name="Kettle Poster", price_cents=3000)
    make_product(session, name="Empty Kettle", category_id=kitchen.id, stock_on_hand=0)

    # when
    page = browse(
        session, category="kitchen", search="kettle", min_price_cents=1000, in_stock_only=True
    )

    # then
    assert names(page) == ["Steel Kettle"]


# --- sorting -------------------------------------------------------------------------------


def test_featured_sort_puts_featured_products_first_then_orders_by_name(
    session: Session,
) -> None:
    # given
    make_product(session, name="banana")
    make_product(session, name="Zebra", featured=True)
    make_product(session, name="Apple")
    make_product(session, name="Mango", featured=True)

    # when
    page = browse(session)

    # then
    assert names(page) == ["Mango", "Zebra", "Apple", "banana"]


def test_price_sorts_order_by_price_and_break_ties_by_id(session: Session) -> None:
    # given
    first = make_product(session, name="First", price_cents=2000)
    make_product(session, name="Cheap", price_cents=1000)
    second = make_product(session, name="Second", price_cents=2000)
    assert first.id is not None and second.id is not None and first.id < second.id

    # when
    ascending = browse(session, sort="price_asc")
    descending = browse(session, sort="price_desc")

    # then
    assert names(ascending) == ["Cheap", "First", "Second"]
    assert names(descending) == ["First", "Second", "Cheap"]


def test_newest_sort_shows_the_most_recently_created_first(session: Session) -> None:
    # given
    start = datetime(2026, 1, 1, tzinfo=UTC)
    make_product(session, name="Old", created_at=start)
    make_product(session, name="New", created_at=start + timedelta(days=2))
    make_product(session, name="Middle", created_at=start + timedelta(days=1))

    # when
    page = browse(session, sort="newest")

    # then
    assert names(page) == ["New", "Middle", "Old"]


def test_name_sort_ignores_case_and_breaks_ties_by_id(session: Session) -> None:
    # given
    make_product(session, name="beta", sku="SKU-B1")
    make_product(session, name="Alpha", sku="SKU-A1")
    make_product(session, name="beta", sku="SKU-B2")

    # when
    page = browse(session, sort="name")

    # then
    assert [p.sku for p in page.items] == ["SKU-A1", "SKU-B1", "SKU-B2"]


# --- paging --------------------------------------------------------------------------------


def test_pages_split_the_results_and_count_all_matches(session: Session) -> None:
    # given
    for letter in "ABCDE":
        make_product(session, name=f"Item {letter}")

    # when
    pages = [browse(session, sort="name", per_page=2, page=n) for n in (1, 2, 3)]

    # then
    assert [names(p) for p in pages] == [
        ["Item A", "Item B"],
        ["Item C", "Item D"],
        ["Item E"],
    ]
    assert all(p.total == 5 and p.pages == 3 for p in pages)
    assert (pages[1].page, pages[1].per_page) == (2, 2)


def test_a_page_past_the_end_is_empty_but_still_counts(session: Session) -> None:
    # given
    make_product(session)

    # when
    page = browse(session, page=4)

    # then
    assert page.items == []
    assert page.total == 1


def test_an_empty_result_has_one_page() -> None:
    assert ProductPage(items=[], total=0, page=1, per_page=12).pages == 1
    assert ProductPage(items=[], total=12, page=1, per_page=12).pages == 1
    assert ProductPage(items=[], total=13, page=1, per_page=12).pages == 2


# --- refused filters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"min_price_cents": -1}, "min_price_cents"),
        ({"max_price_cents": -1}, "max_price_cents"),
        ({"min_price_cents": 2000, "max_price_cents": 1000}, "min_price_cents"),
        ({"page": 0}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"sort": "cheapest"}, "sort"),
    ],
)
def test_bad_filter_values_are_refused_naming_the_field(
    session: Session, filters: dict[str, Any], field: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as refused:
        browse(session, **filters)

    # then
    assert refused.value.field == field


def test_the_largest_allowed_page_size_is_accepted(session: Session) -> None:
    # given
    make_product(session)

    # when
    page = browse(session, per_page=100)

    # then
    assert page.total == 1


# --- single product ------------------------------------------------------------------------


def test_a_product_is_found_by_id_or_by_slug(session: Session) -> None:
    # given
    product = make_product(session, slug="aurora")

    # when
    by_id = get_product(session=session, product_id=product.id)
    by_slug = get_product(session=session, slug="aurora")

    # then
    assert by_id.id == by_slug.id == product.id


def test_a_missing_product_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        get_product(session=session, product_id=999_999)
    with pytest.raises(NotFound):
        get_product(session=session, slug="nope")


def test_an_inactive_product_is_found_only_when_asked_for(session: Session) -> None:
    # given
    product = make_product(session, active=False)

    # when / then
    with pytest.raises(NotFound):
        get_product(session=session, product_id=product.id)
    assert get_product(session=session, product_id=product.id, include_inactive=True).id == (
        product.id
    )


def test_get_product_needs_exactly_one_way_to_find_it(session: Session) -> None:
    with pytest.raises(TypeError):
        get_product(session=session)
    with pytest.raises(TypeError):
        get_product(session=session, product_id=1, slug="x")


# --- categories and facets -----------------------------------------------------------------


def test_categories_are_listed_by_position_then_name(session: Session) -> None:
    # given
    make_category(session, slug="c", name="Charlie", position=1)
    make_category(session, slug="b", name="Bravo", position=2)
    make_category(session, slug="a", name="Alpha", position=1)

    # when
    categories = list_categories(session=session)

    # then
    assert [c.name for c in categories] == ["Alpha", "Charlie", "Bravo"]


def test_category_counts_count_active_products_and_include_empty_categories(
    session: Session, kitchen: Category
) -> None:
    # given
    empty = make_category(session)
    make_product(session, category_id=kitchen.id)
    make_product(session, category_id=kitchen.id, stock_on_hand=0)
    make_product(session, category_id=kitchen.id, active=False)

    # when
    counts = category_counts(session=session)

    # then
    assert (counts.get(kitchen.id or 0), counts.get(empty.id or 0)) == (2, 0)


def test_category_counts_follow_the_other_filters_but_not_the_chosen_category(
    session: Session, kitchen: Category
) -> None:
    # given a kitchen with a cheap kettle in stock, a dear one, and a sold-out mug
    other = make_category(session)
    make_product(session, category_id=kitchen.id, name="Cheap Kettle", price_cents=2000)
    make_product(session, category_id=kitchen.id, name="Dear Kettle", price_cents=9000)
    make_product(session, category_id=kitchen.id, name="Mug", stock_on_hand=0)
    make_product(session, category_id=other.id, name="Kettle Descaler", price_cents=1500)

    # when the visitor searches "kettle" under 50 dollars, in stock, with the kitchen chosen
    wanted = ProductFilter(
        category=kitchen.slug, search="kettle", max_price_cents=5000, in_stock_only=True
    )
    counts = category_counts(session=session, filters=wanted)

    # then each category counts what choosing it would show
    assert (counts.get(kitchen.id or 0), counts.get(other.id or 0)) == (1, 1)


def test_price_bounds_span_active_products_only(session: Session) -> None:
    # given
    make_product(session, price_cents=1200)
    make_product(session, price_cents=8800)
    make_product(session, price_cents=99_999, active=False)

    # when / then
    assert price_bounds(session=session) == (1200, 8800)


def test_price_bounds_of_an_empty_catalog_are_zero(session: Session) -> None:
    assert price_bounds(session=session) == (0, 0)
