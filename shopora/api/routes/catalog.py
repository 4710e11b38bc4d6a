"""The public catalog: no token needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shopora.api.deps import SessionDep, SettingsDep
from shopora.api.errors import errors
from shopora.api.schemas_catalog import CategoryPublic, ProductList, ProductPublic, ProductQuery
from shopora.api.schemas_common import ProductIdPath
from shopora.services import catalog

router = APIRouter(tags=["catalog"])


@router.get("/categories", summary="List categories")
def list_categories(session: SessionDep) -> list[CategoryPublic]:
    """Every category in display order, with how many active products it has."""
    counts = catalog.category_counts(session=session)
    return [
        CategoryPublic.of(category, counts.get(category.id or 0, 0))
        for category in catalog.list_categories(session=session)
    ]


@router.get("/products", responses=errors(422), summary="Browse products")
def list_products(
    query: Annotated[ProductQuery, Query()], session: SessionDep, settings: SettingsDep
) -> ProductList:
    """Active products filtered, sorted and paged in the database."""
    filters = catalog.ProductFilter(
        category=query.category,
        search=query.q,
        min_price_cents=query.min_price_cents,
        max_price_cents=query.max_price_cents,
        in_stock_only=query.in_stock,
        sort=query.sort,
        page=query.page,
        per_page=query.per_page,
    )
    page = catalog.list_products(session=session, filters=filters)
    return ProductList.of(page, settings.currency)


@router.get("/products/{product_id}", responses=errors(404, 422), summary="One product")
def get_product(
    product_id: ProductIdPath, session: SessionDep, settings: SettingsDep
) -> ProductPublic:
    """An active product by id."""
    product = catalog.get_product(session=session, product_id=product_id)
    return ProductPublic.of(product, settings.currency)
