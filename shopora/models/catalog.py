"""What the shop sells: categories and products with their stock counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow

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
    description: str = Field(default="", sa_type=Text, nullable=False)


class Category(CategoryBase, table=True):
    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(default=0, nullable=False)


class Product(SQLModel, table=True):
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
    sku: str = Field(sa_type=String(40), unique=True, nullable=False)
    slug: str = Field(sa_type=String(120), unique=True, nullable=False)
    name: str = Field(sa_type=String(120), nullable=False)
    description: str = Field(default="", sa_type=Text, nullable=False)
    category_id: int = Field(foreign_key="categories.id", nullable=False, index=True)
    price_cents: int = Field(nullable=False)
    image: str | None = Field(default=None, sa_type=String(255))
    stock_on_hand: int = Field(default=0, nullable=False)
    reserved: int = Field(default=0, nullable=False)
    low_stock_threshold: int = Field(default=5, nullable=False)
    active: bool = Field(default=True, nullable=False)
    featured: bool = Field(default=False, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)

    @property
    def available(self) -> int:
        return self.stock_on_hand - self.reserved

    @property
    def is_low_stock(self) -> bool:
        return 0 < self.available <= self.low_stock_threshold
