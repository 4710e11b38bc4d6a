"""Categories and products as the shop shows them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from shopora.api.schemas_common import MAX_CENTS, Text120, display, text
from shopora.models import Category, Product
from shopora.models.base import field_values, pk
from shopora.models.catalog import CategoryBase, ProductShopBase
from shopora.services.catalog import MAX_PER_PAGE, ProductPage, Sort

_PRODUCT_EXAMPLE: JsonDict = {
    "id": 1,
    "sku": "AUD-001",
    "slug": "aurora-wireless-headphones",
    "name": "Aurora Wireless Headphones",
    "description": "Over-ear headphones with adaptive noise cancelling.",
    "category_id": 1,
    "price_cents": 12900,
    "price_display": "$129.00",
    "image": "images/aurora-wireless-headphones.svg",
    "available": 25,
    "in_stock": True,
    "low_stock": False,
    "featured": True,
}


class CategoryPublic(CategoryBase):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"id": 1, "slug": "audio", "name": "Audio", "description": "", "product_count": 4}
            ]
        }
    }

    id: int
    product_count: int = Field(description="Active products in this category.")

    @classmethod
    def of(cls, category: Category, product_count: int) -> CategoryPublic:
        return cls(
            id=pk(category),
            slug=category.slug,
            name=category.name,
            description=category.description,
            product_count=product_count,
        )


class ProductPublic(ProductShopBase):
    """The product's own fields, limits and docs are ProductShopBase's (shared with the table
    and the operators' schemas); this adds what the shop works out."""

    model_config = {"json_schema_extra": {"examples": [_PRODUCT_EXAMPLE]}}

    id: int
    slug: str
    price_display: str = Field(examples=["$129.00"])
    available: int = Field(description="Units that can be bought now (on hand minus held).")
    in_stock: bool
    low_stock: bool

    @classmethod
    def of(cls, product: Product, currency: str) -> ProductPublic:
        return cls.model_validate(
            {
                **field_values(product, ProductShopBase),
                "id": pk(product),
                "slug": product.slug,
                "price_display": display(product.price_cents, currency),
                "available": max(product.available, 0),
                "in_stock": product.available > 0,
                "low_stock": product.is_low_stock,
            }
        )


class ProductQuery(BaseModel):
    """Filters for `GET /products`; every one is optional."""

    category: Text120 | None = Field(default=None, description="Category slug.")
    q: Annotated[str, text(200)] = Field(
        default="", description="Words that must all appear in the name, description or SKU."
    )
    min_price_cents: int | None = Field(default=None, ge=0, le=MAX_CENTS)
    max_price_cents: int | None = Field(default=None, ge=0, le=MAX_CENTS)
    in_stock: bool = Field(default=False, description="Only products that can be bought now.")
    sort: Sort = "featured"
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=12, ge=1, le=MAX_PER_PAGE)


class ProductList(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"items": [_PRODUCT_EXAMPLE], "total": 1, "page": 1, "per_page": 12, "pages": 1}
            ]
        }
    }

    items: list[ProductPublic]
    total: int
    page: int
    per_page: int
    pages: int

    @classmethod
    def of(cls, page: ProductPage, currency: str) -> ProductList:
        return cls(
            items=[ProductPublic.of(product, currency) for product in page.items],
            total=page.total,
            page=page.page,
            per_page=page.per_page,
            pages=page.pages,
        )
