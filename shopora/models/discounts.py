"""Discount codes and the redemptions that count against their limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from shopora.models.base import lower_unique, utcnow
from shopora.models.status import DiscountKind, ReservationStatus, values


class DiscountCode(SQLModel, table=True):
    __tablename__ = "discount_codes"
    __table_args__ = (
        lower_unique("uq_discount_codes_code_lower", "code"),
        CheckConstraint(f"kind IN ({values(DiscountKind)})", name="ck_discount_codes_kind"),
        CheckConstraint("value >= 0", name="ck_discount_codes_value"),
        CheckConstraint(
            "kind <> 'percent' OR (value >= 1 AND value <= 100)", name="ck_discount_codes_percent"
        ),
        CheckConstraint("min_subtotal_cents >= 0", name="ck_discount_codes_min_subtotal"),
        CheckConstraint(
            "max_redemptions IS NULL OR max_redemptions >= 1", name="ck_discount_codes_max"
        ),
        CheckConstraint(
            "max_redemptions IS NULL OR redemption_count + reserved_count <= max_redemptions",
            name="ck_discount_codes_within_max",
        ),
        CheckConstraint("reserved_count >= 0", name="ck_discount_codes_reserved"),
        CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at",
            name="ck_discount_codes_window",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(40), nullable=False)
    description: str = Field(default="", sa_type=Text, nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)
    value: int = Field(default=0, nullable=False)
    min_subtotal_cents: int = Field(default=0, nullable=False)
    starts_at: datetime | None = Field(default=None)
    ends_at: datetime | None = Field(default=None)
    max_redemptions: int | None = Field(default=None)
    once_per_customer: bool = Field(default=False, nullable=False)
    active: bool = Field(default=True, nullable=False)
    redemption_count: int = Field(default=0, nullable=False)
    # Uses held by unpaid orders: a code with N uses left is on at most N live orders.
    reserved_count: int = Field(default=0, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class DiscountRedemption(SQLModel, table=True):
    """Counted when an order is paid. `once_key` is the user id for once-per-customer codes
    (NULL otherwise), so the database itself refuses a second redemption by the same customer."""

    __tablename__ = "discount_redemptions"
    __table_args__ = (
        UniqueConstraint("discount_code_id", "once_key", name="uq_redemptions_once_per_customer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discount_code_id: int = Field(foreign_key="discount_codes.id", nullable=False, index=True)
    order_id: int = Field(foreign_key="orders.id", unique=True, nullable=False)
    user_id: int = Field(foreign_key="users.id", nullable=False, index=True)
    once_key: int | None = Field(default=None)
    amount_cents: int = Field(nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class DiscountReservation(SQLModel, table=True):
    """One use of a limited or once-per-customer code, held by an order from placement:
    `held` while it is unpaid, `committed` once paid (the redemption), `released` when it is
    cancelled or its session expired. `once_key` is the user id for once-per-customer codes
    while the use is held or committed (NULL otherwise), so the database refuses a second
    live use by the same customer."""

    __tablename__ = "discount_reservations"
    __table_args__ = (
        UniqueConstraint(
            "discount_code_id", "once_key", name="uq_discount_reservations_once_per_customer"
        ),
        CheckConstraint(
            f"status IN ({values(ReservationStatus)})", name="ck_discount_reservations_status"
        ),
        CheckConstraint(
            "status <> 'released' OR once_key IS NULL", name="ck_discount_reservations_released"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    discount_code_id: int = Field(foreign_key="discount_codes.id", nullable=False, index=True)
    order_id: int = Field(foreign_key="orders.id", unique=True, nullable=False)
    user_id: int = Field(foreign_key="users.id", nullable=False, index=True)
    once_key: int | None = Field(default=None)
    status: str = Field(default=ReservationStatus.HELD, sa_type=String(12), nullable=False)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    settled_at: datetime | None = Field(default=None)
