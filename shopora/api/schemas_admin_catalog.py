"""Products and stock as operators manage them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, Strict
from pydantic.config import JsonDict

from shopora.api.schemas_common import PartialUpdate, Text200, UtcDatetime, display
from shopora.models import Product
from shopora.models.base import field_values, pk
from shopora.models.catalog import (
    CategoryId,
    Description,
    Flag,
    ImagePath,
    PriceCents,
    ProductBase,
    ProductName,
    Sku,
    Threshold,
)
from shopora.services.products_admin import StockRow

# The largest single stock correction accepted (far beyond any real delivery).
MAX_STOCK_DELTA = 1_000_000

_PRODUCT_IN: JsonDict = {
    "name": "Lumen Desk Lamp",
    "sku": "HOME-042",
    "category_id": 2,
    "price_cents": 3900,
    "description": "A warm, dimmable LED desk lamp.",
    "active": True,
    "featured": False,
    "low_stock_threshold": 5,
    "image": None,
}


def _doc(field: str) -> Any:
    """A PATCH field: optional, with the doc ProductBase declares for it."""
    return Field(default=None, description=ProductBase.model_fields[field].description)


class ProductCreate(ProductBase):
    """The fields, limits and docs are ProductBase's (the table and the products service use
    the same); the service adds the checks against the shop (category, image, unique SKU)."""

    model_config = {"json_schema_extra": {"examples": [_PRODUCT_IN]}}


class ProductUpdate(PartialUpdate):
    """Only the fields sent change (null counts as not sent, except for `image`); the slug,
    the product's shop address, never changes. Each field has ProductBase's type and doc."""

    CLEARABLE = frozenset({"image"})

    model_config = {"json_schema_extra": {"examples": [{"price_cents": 3500, "featured": True}]}}

    name: ProductName | None = _doc("name")
    sku: Sku | None = _doc("sku")
    category_id: CategoryId | None = _doc("category_id")
    price_cents: PriceCents | None = _doc("price_cents")
    description: Description | None = _doc("description")
    active: Flag | None = _doc("active")
    featured: Flag | None = _doc("featured")
    low_stock_threshold: Threshold | None = _doc("low_stock_threshold")
    image: ImagePath = Field(default=None, description="null removes the picture.")


class StockChange(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [{"delta": 12, "reason": "restock", "note": "Delivery from supplier"}]
        }
    }

    delta: Annotated[int, Strict()] = Field(
        ge=-MAX_STOCK_DELTA, le=MAX_STOCK_DELTA, description="Units to add (or remove if < 0)."
    )
    reason: Literal["adjustment", "restock"]
    note: Text200 = Field(min_length=1, description="Why the stock changes (the ledger keeps it).")


class AdminProduct(ProductBase):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **_PRODUCT_IN,
                    "id": 21,
                    "slug": "lumen-desk-lamp",
                    "price_display": "$39.00",
                    "stock_on_hand": 12,
                    "reserved": 2,
                    "available": 10,
                    "low_stock": False,
                    "created_at": "2025-01-31T09:30:00Z",
                    "updated_at": "2025-01-31T09:30:00Z",
                }
            ]
        }
    }

    id: int
    slug: str
    price_display: str
    stock_on_hand: int
    reserved: int = Field(description="Held for pending orders.")
    available: int
    low_stock: bool
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def of(cls, product: Product, currency: str) -> AdminProduct:
        return cls.model_validate(
            {
                **field_values(product, ProductBase),
                "id": pk(product),
                "slug": product.slug,
                "price_display": display(product.price_cents, currency),
                "stock_on_hand": product.stock_on_hand,
                "reserved": product.reserved,
                "available": product.available,
                "low_stock": product.is_low_stock,
                "created_at": product.created_at,
                "updated_at": product.updated_at,
            }
        )


class StockRowPublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product_id": 21,
                    "sku": "HOME-042",
                    "name": "Lumen Desk Lamp",
                    "category": "Home",
                    "price_cents": 3900,
                    "price_display": "$39.00",
                    "on_hand": 12,
                    "reserved": 2,
                    "available": 10,
                    "threshold": 5,
                    "low": False,
                    "sold_out": False,
                    "active": True,
                    "featured": False,
                }
            ]
        }
    }

    product_id: int
    sku: str
    name: str
    category: str
    price_cents: int
    price_display: str
    on_hand: int
    reserved: int
    available: int
    threshold: int
    low: bool
    sold_out: bool
    active: bool
    featured: bool

    @classmethod
    def of(cls, row: StockRow, currency: str) -> StockRowPublic:
        return cls.model_validate(
            {**asdict(row), "price_display": display(row.price_cents, currency)}
        )
