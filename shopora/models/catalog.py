"""What the shop sells: categories and products with their stock counters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import Interval
from pydantic import BeforeValidator, Strict
from sqlalchemy import CheckConstraint, String
from sqlalchemy import Text as SaText
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow
from shopora.models.fields import MAX_ID, Text, collapse_spaces

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class CategoryBase(SQLModel):
    """A category's fields and limits, declared once for the table and the API's schemas."""

    slug: str = Field(
        sa_type=String(60),
        unique=True,
        nullable=False,
        min_length=1,
        max_length=60,
        schema_extra={"pattern": SLUG_PATTERN},
        description="The category's address in the shop, e.g. `home-office`.",
    )
    name: str = Field(sa_type=String(80), unique=True, nullable=False, min_length=1, max_length=80)
    description: str = Field(default="", sa_type=SaText, nullable=False)


class Category(CategoryBase, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(default=0, nullable=False)


MAX_NAME = 120
# Before cleaning an SKU is any case; it is kept (and unique) in upper case.
SKU_PATTERN = r"^[A-Z0-9-]{3,40}$"
MAX_PRICE = 99_999_999
MAX_THRESHOLD = 10_000
MAX_DESCRIPTION = 5000
MAX_IMAGE_PATH = 255


def _upper(value: str) -> str:
    return value.strip().upper()


def _empty_is_none(value: object) -> object:
    return None if value == "" else value


# Each field's type carries its limits and cleaning, so the partial update (every field
# optional) reuses them; the docs are on ProductBase's fields.
ProductName = Annotated[str, Text(MAX_NAME, 2, clean=collapse_spaces)]
Sku = Annotated[str, Text(40, 3, clean=_upper, pattern=SKU_PATTERN)]
CategoryId = Annotated[int, Strict(), Interval(ge=1, le=MAX_ID)]
PriceCents = Annotated[int, Strict(), Interval(ge=1, le=MAX_PRICE)]
Description = Annotated[str, Text(MAX_DESCRIPTION, multiline=True, clean=str.strip)]
Flag = Annotated[bool, Strict()]
Threshold = Annotated[int, Strict(), Interval(ge=0, le=MAX_THRESHOLD)]
ImagePath = Annotated[Annotated[str, Text(MAX_IMAGE_PATH)] | None, BeforeValidator(_empty_is_none)]


class ProductShopBase(SQLModel):
    """What the shop shows of a product: the part of ProductBase customers see."""

    name: ProductName = Field(
        sa_type=String(MAX_NAME),
        nullable=False,
        description="Shown in the shop; 2 to 120 characters.",
    )
    sku: Sku = Field(
        sa_type=String(40),
        unique=True,
        nullable=False,
        description="Stock-keeping unit: 3 to 40 letters, digits or dashes; kept in upper case, "
        "unique whatever the case.",
    )
    category_id: CategoryId = Field(
        foreign_key="categories.id", nullable=False, index=True, description="Its category's id."
    )
    price_cents: PriceCents = Field(
        nullable=False, description="Price in cents, e.g. 3900 for $39.00."
    )
    description: Description = Field(
        default="", sa_type=SaText, nullable=False, description="Plain text; may hold newlines."
    )
    featured: Flag = Field(default=False, nullable=False, description="On the shop's front page.")
    image: ImagePath = Field(
        default=None,
        sa_type=String(MAX_IMAGE_PATH),
        description="Path of the product picture returned by the image upload, if any.",
    )


class ProductBase(ProductShopBase):
    """What an operator sets on a product. The fields, their limits, cleaning (names' spaces
    collapsed, SKUs in upper case, descriptions trimmed) and docs are declared here once: the
    table, the products service's input and the API's schemas (whose OpenAPI shows them) all
    derive from this class. Validation runs for those (SQLModel tables skip it)."""

    active: Flag = Field(
        default=True,
        nullable=False,
        description="On sale; false hides it from the shop (archived).",
    )
    low_stock_threshold: Threshold = Field(
        default=5, nullable=False, description="Units available at or below which stock is low."
    )


class Product(ProductBase, table=True):
    """`stock_on_hand` is physical stock; `reserved` is held for pending orders."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents > 0", name="ck_products_price_positive"),
        CheckConstraint("stock_on_hand >= 0", name="ck_products_stock_nonnegative"),
        CheckConstraint("reserved >= 0", name="ck_products_reserved_nonnegative"),
        # Available = on hand - reserved never goes below zero.
        CheckConstraint("reserved <= stock_on_hand", name="ck_products_reserved_within_stock"),
        CheckConstraint("low_stock_threshold >= 0", name="ck_products_threshold_nonnegative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=String(120), unique=True, nullable=False)
    stock_on_hand: int = Field(default=0, nullable=False)
    reserved: int = Field(default=0, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)

    @property
    def available(self) -> int:
        return self.stock_on_hand - self.reserved

    @property
    def is_low_stock(self) -> bool:
        return 0 < self.available <= self.low_stock_threshold
