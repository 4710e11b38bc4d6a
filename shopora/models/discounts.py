"""Discount codes and the redemptions that count against their limits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import Interval
from pydantic import Strict
from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from shopora.models import fields
from shopora.models.base import lower_unique, utcnow
from shopora.models.status import DiscountKind, ReservationStatus, values

# Before cleaning a code is any case; it is kept (and unique whatever the case) in upper case.
CODE_PATTERN = r"^[A-Z0-9_-]{3,40}$"
MAX_CENTS = 99_999_999
MAX_DESCRIPTION = 500
MAX_REDEMPTIONS = 10_000_000


def _upper(value: str) -> str:
    return value.strip().upper()


# Each field's type carries its limits and cleaning, so the partial update (every field
# optional) reuses them; the docs are on DiscountCodeBase's fields. The rules between fields
# (the value a kind allows, the window's order) and against history are the service's.
CodeText = Annotated[str, fields.Text(40, 3, clean=_upper, pattern=CODE_PATTERN)]
Value = Annotated[int, Strict(), Interval(ge=0, le=MAX_CENTS)]
Cents = Annotated[int, Strict(), Interval(ge=0, le=MAX_CENTS)]
Description = Annotated[str, fields.Text(MAX_DESCRIPTION, multiline=True, clean=str.strip)]
Limit = Annotated[int, Strict(), Interval(ge=1, le=MAX_REDEMPTIONS)]
Flag = Annotated[bool, Strict()]


class DiscountCodeBase(SQLModel):
    """What an operator sets on a discount code. The fields, their limits, cleaning and docs
    are declared here once: the table, the discounts service's input and the API's schemas
    (whose OpenAPI shows them) derive from this class (SQLModel tables skip validation)."""

    code: CodeText = Field(
        sa_type=String(40),
        nullable=False,
        description="3 to 40 letters, digits, '-' or '_'; kept in upper case, unique whatever "
        "the case.",
    )
    description: Description = Field(
        default="", sa_type=Text, nullable=False, description="For operators; may hold newlines."
    )
    kind: DiscountKind = Field(sa_type=String(16), nullable=False)
    value: Value = Field(
        default=0, nullable=False, description="Percent (1-100), cents (fixed), or 0."
    )
    min_subtotal_cents: Cents = Field(
        default=0, nullable=False, description="The cart subtotal the code needs, in cents."
    )
    starts_at: fields.Moment | None = Field(default=None, description="Valid from (UTC).")
    ends_at: fields.Moment | None = Field(default=None, description="Valid until (UTC).")
    max_redemptions: Limit | None = Field(
        default=None, description="How many orders may use it in all; null for no limit."
    )
    once_per_customer: Flag = Field(default=False, nullable=False)
    active: Flag = Field(default=True, nullable=False)


class DiscountCode(DiscountCodeBase, table=True):
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
