"""Browsing the catalog: filtered, sorted, paged product lists and the facts a shop page needs.

Everything is computed in SQL (filters, counts, ordering, paging), so a page costs two
queries however large the catalog grows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement
from sqlmodel import Session, and_, col, func, or_, select

from shopora.errors import NotFound, ValidationFailed
from shopora.models import Category, Product

Sort = Literal["featured", "price_asc", "price_desc", "newest", "name"]
SORTS: tuple[Sort, ...] = get_args(Sort)
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class ProductFilter:
    """What a shopper asked to see; `search` matches every word in name, description or SKU."""

    category: str | None = None
    search: str = ""
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock_only: bool = False
    sort: Sort = "featured"
    page: int = 1
    per_page: int = 12


@dataclass(frozen=True)
class ProductPage:
    items: list[Product]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages; an empty result still has one (empty) page."""
        return max(1, math.ceil(self.total / self.per_page))


def list_products(
    *, session: Session, filters: ProductFilter = ProductFilter(), include_inactive: bool = False
) -> ProductPage:
    """One page of products matching `filters`, with the total count of matches."""
    _check(filters)
    conditions = _conditions(filters, include_inactive)
    total = session.exec(select(func.count(col(Product.id))).where(*conditions)).one()
    statement = (
        select(Product)
        .where(*conditions)
        .order_by(*_ordering(filters.sort))
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    )
    items = list(session.exec(statement).all())
    return ProductPage(items=items, total=total, page=filters.page, per_page=filters.per_page)


def get_product(
    *,
    session: Session,
    product_id: int | None = None,
    slug: str | None = None,
    include_inactive: bool = False,
) -> Product:
    """A product by id or slug; inactive products count as missing unless asked for."""
    if (product_id is None) == (slug is None):
        raise TypeError("get_product needs exactly one of product_id or slug")
    match = col(Product.id) == product_id if slug is None else col(Product.slug) == slug
    product = session.exec(select(Product).where(match)).first()
    if product is None or not (product.active or include_inactive):
        raise NotFound("That product does not exist.", field="product")
    return product


def list_categories(*, session: Session) -> list[Category]:
    """Every category, in the order the shop displays them."""
    statement = select(Category).order_by(col(Category.position), col(Category.name))
    return list(session.exec(statement).all())


def category_counts(*, session: Session, filters: ProductFilter | None = None) -> dict[int, int]:
    """Active products per category id among those `filters` let through (its category,
    sort and paging aside: the counts say what choosing each category would show);
    categories without any count zero."""
    wanted = replace(filters or ProductFilter(), category=None)
    _check(wanted)
    joined = and_(col(Product.category_id) == col(Category.id), *_conditions(wanted, False))
    statement = (
        select(col(Category.id), func.count(col(Product.id)))
        .outerjoin(Product, joined)
        .group_by(col(Category.id))
    )
    rows = session.exec(statement).all()
    return {category_id: count for category_id, count in rows if category_id is not None}


def price_bounds(*, session: Session) -> tuple[int, int]:
    """Lowest and highest price among active products, (0, 0) when there are none."""
    statement = select(
        func.min(col(Product.price_cents)), func.max(col(Product.price_cents))
    ).where(col(Product.active))
    low, high = session.exec(statement).one()
    return (low or 0, high or 0)


def _check(filters: ProductFilter) -> None:
    for name in ("min_price_cents", "max_price_cents"):
        value = getattr(filters, name)
        if value is not None and value < 0:
            raise ValidationFailed("Prices cannot be negative.", field=name)
    low, high = filters.min_price_cents, filters.max_price_cents
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            "The minimum price is above the maximum price.", field="min_price_cents"
        )
    if filters.page < 1:
        raise ValidationFailed("Pages start at 1.", field="page")
    if not 1 <= filters.per_page <= MAX_PER_PAGE:
        raise ValidationFailed(
            f"Show between 1 and {MAX_PER_PAGE} products per page.", field="per_page"
        )
    if filters.sort not in SORTS:
        raise ValidationFailed(f"Unknown sort order {filters.sort!r}.", field="sort")


def _conditions(filters: ProductFilter, include_inactive: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not include_inactive:
        conditions.append(col(Product.active).is_(True))
    if filters.category is not None:
        category_id = select(col(Category.id)).where(col(Category.slug) == filters.category)
        conditions.append(col(Product.category_id) == category_id.scalar_subquery())
    conditions.extend(_matches(word) for word in filters.search.split())
    if filters.min_price_cents is not None:
        conditions.append(col(Product.price_cents) >= filters.min_price_cents)
    if filters.max_price_cents is not None:
        conditions.append(col(Product.price_cents) <= filters.max_price_cents)
    if filters.in_stock_only:
        conditions.append(col(Product.stock_on_hand) - col(Product.reserved) > 0)
    return conditions


def _matches(word: str) -> ColumnElement[bool]:
    # autoescape: a shopper typing "%" or "_" means those characters, not wildcards.
    return or_(
        *(
            col(column).icontains(word, autoescape=True)
            for column in (Product.name, Product.description, Product.sku)
        )
    )


def _ordering(sort: Sort) -> tuple[Any, ...]:
    # lower(name) so SQLite and PostgreSQL agree; id last so paging never repeats or skips.
    by_name = func.lower(col(Product.name))
    orderings: dict[Sort, tuple[Any, ...]] = {
        "featured": (col(Product.featured).desc(), by_name, col(Product.id)),
        "price_asc": (col(Product.price_cents), col(Product.id)),
        "price_desc": (col(Product.price_cents).desc(), col(Product.id)),
        "newest": (col(Product.created_at).desc(), col(Product.id).desc()),
        "name": (by_name, col(Product.id)),
    }
    return orderings[sort]
