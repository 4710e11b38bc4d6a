"""Stock holds for pending orders and the ledger every stock change writes to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from shopora.models.base import utcnow
from shopora.models.status import MovementReason, ReservationStatus, values


class StockReservation(SQLModel, table=True):
    __tablename__ = "stock_reservations"
    __table_args__ = (
        UniqueConstraint("order_id", "product_id", name="uq_reservations_order_product"),
        CheckConstraint("quantity > 0", name="ck_reservations_quantity"),
        CheckConstraint(f"status IN ({values(ReservationStatus)})", name="ck_reservations_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", nullable=False, index=True)
    product_id: int = Field(foreign_key="products.id", nullable=False, index=True)
    quantity: int = Field(nullable=False)
    status: str = Field(default=ReservationStatus.HELD, sa_type=String(12), nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    settled_at: datetime | None = Field(default=None)


class InventoryMovement(SQLModel, table=True):
    """The ledger: the sum of a product's deltas always equals its stock on hand."""

    __tablename__ = "inventory_movements"
    __table_args__ = (
        CheckConstraint(f"reason IN ({values(MovementReason)})", name="ck_movements_reason"),
        CheckConstraint("delta <> 0", name="ck_movements_delta_nonzero"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", nullable=False, index=True)
    delta: int = Field(nullable=False)
    reason: str = Field(sa_type=String(12), nullable=False)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    actor: str = Field(default="system", sa_type=String(60), nullable=False)
    note: str = Field(default="", sa_type=Text, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
