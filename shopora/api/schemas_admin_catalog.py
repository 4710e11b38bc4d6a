"""Products and stock as operators manage them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from pydantic import BaseModel, Field, Strict
from pydantic.config import JsonDict

from shopora.api.schemas_common import (
    MAX_CENTS,
    BodyBool,
    BodyId,
    PartialUpdate,
    Text200,
    UtcDatetime,
    display,
    text,
)
from shopora.models import Product
from shopora.models.base import pk
from shopora.services.products_admin import MAX_DESCRIPTION, MAX_THRESHOLD, StockRow

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

Price = Annotated[int, Strict(), Field(ge=1, le=MAX_CENTS, examples=[3900])]
Threshold = Annotated[int, Strict(), Field(ge=0, le=MAX_THRESHOLD, examples=[5])]
Description = Annotated[str, text(MAX_DESCRIPTION, multiline=True)]
ImagePath = Annotated[str, text(255)]


class ProductCreate(BaseModel):
    """The products service checks the rest (SKU pattern, existing category, image path)."""

    model_config = {"json_schema_extra": {"examples": [_PRODUCT_IN]}}

    name: Annotated[str, text(200, 1)]
    sku: Annotated[str, text(60, 1)]
    category_id: BodyId
    price_cents: Price
    description: Description = ""
    active: BodyBool = True
    featured: BodyBool = False
    low_stock_threshold: Threshold = 5
    image: ImagePath | None = None


class ProductUpdate(PartialUpdate):
    """Only the fields sent change (null counts as not sent, except for `image`); the slug,
    the product's shop address, never changes."""

    CLEARABLE = frozenset({"image"})

    model_config = {"json_schema_extra": {"examples": [{"price_cents": 3500, "featured": True}]}}

    name: Annotated[str, text(200, 1)] | None = None
    sku: Annotated[str, text(60, 1)] | None = None
    category_id: BodyId | None = None
    price_cents: Price | None = None
    description: Description | None = None
    active: BodyBool | None = None
    featured: BodyBool | None = None
    low_stock_threshold: Threshold | None = None
    image: ImagePath | None = Field(default=None, description="null removes the picture.")


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


class AdminProduct(BaseModel):
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
    sku: str
    slug: str
    name: str
    description: str
    category_id: int
    price_cents: int
    price_display: str
    image: str | None
    stock_on_hand: int
    reserved: int = Field(description="Held for pending orders.")
    available: int
    low_stock_threshold: int
    low_stock: bool
    active: bool
    featured: bool
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def of(cls, product: Product, currency: str) -> AdminProduct:
        return cls.model_validate(
            {
                "id": pk(product),
                "sku": product.sku,
                "slug": product.slug,
                "name": product.name,
                "description": product.description,
                "category_id": product.category_id,
                "price_cents": product.price_cents,
                "price_display": display(product.price_cents, currency),
                "image": product.image,
                "stock_on_hand": product.stock_on_hand,
                "reserved": product.reserved,
                "available": product.available,
                "low_stock_threshold": product.low_stock_threshold,
                "low_stock": product.is_low_stock,
                "active": product.active,
                "featured": product.featured,
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
