"""Carts: a signed-in customer's, one row per product; a guest's, one row per browser."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow

MAX_LINE_QUANTITY = 99


class CartItem(SQLModel, table=True):
    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        CheckConstraint(
            f"quantity BETWEEN 1 AND {MAX_LINE_QUANTITY}", name="ck_cart_items_quantity"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", nullable=False, index=True)
    product_id: int = Field(foreign_key="products.id", nullable=False)
    quantity: int = Field(nullable=False)
    added_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class GuestCart(SQLModel, table=True):
    """A visitor's cart before signing in, keyed by the random id in their guest cookie, so
    it survives a reload or a closed tab; folded into the customer's cart at sign-in."""

    __tablename__ = "guest_carts"

    token: str = Field(primary_key=True, max_length=64)
    # {product id (as text, JSON keys are strings): quantity}
    items: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
