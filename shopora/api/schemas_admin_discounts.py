"""Discount codes as operators manage them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, Strict
from pydantic.config import JsonDict

from shopora.api.schemas_common import (
    MAX_CENTS,
    BodyBool,
    BodyDatetime,
    PartialUpdate,
    UtcDatetime,
    text,
)
from shopora.models import DiscountCode, DiscountKind
from shopora.services.discounts_admin import MAX_DESCRIPTION, CodeUsage

_CODE: JsonDict = {
    "code": "SPRING15",
    "kind": "percent",
    "value": 15,
    "description": "15% off in spring",
    "min_subtotal_cents": 5000,
    "starts_at": "2025-03-01T00:00:00Z",
    "ends_at": "2025-06-01T00:00:00Z",
    "max_redemptions": 500,
    "once_per_customer": True,
    "active": True,
}

CodeText = Annotated[str, text(60, 1)]
Value = Annotated[
    int, Strict(), Field(ge=0, le=MAX_CENTS, description="Percent (1-100), cents (fixed), or 0.")
]
Cents = Annotated[int, Strict(), Field(ge=0, le=MAX_CENTS)]
Limit = Annotated[int, Strict(), Field(ge=1, le=10_000_000)]
Description = Annotated[str, text(MAX_DESCRIPTION, multiline=True)]


class DiscountCreate(BaseModel):
    """The discounts service checks the rules (code pattern, value per kind, window)."""

    model_config = {"json_schema_extra": {"examples": [_CODE]}}

    code: CodeText
    kind: DiscountKind
    value: Value = 0
    description: Description = ""
    min_subtotal_cents: Cents = 0
    starts_at: BodyDatetime | None = None
    ends_at: BodyDatetime | None = None
    max_redemptions: Limit | None = None
    once_per_customer: BodyBool = False
    active: BodyBool = True


class DiscountUpdate(PartialUpdate):
    """Only the fields sent change; null empties `starts_at`, `ends_at` and
    `max_redemptions` and leaves the others as they are."""

    CLEARABLE = frozenset({"starts_at", "ends_at", "max_redemptions"})
    model_config = {"json_schema_extra": {"examples": [{"active": False}, {"ends_at": None}]}}

    code: CodeText | None = None
    kind: DiscountKind | None = None
    value: Value | None = None
    description: Description | None = None
    min_subtotal_cents: Cents | None = None
    starts_at: BodyDatetime | None = None
    ends_at: BodyDatetime | None = None
    max_redemptions: Limit | None = None
    once_per_customer: BodyBool | None = None
    active: BodyBool | None = None


class DiscountPublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {**_CODE, "id": 7, "redemption_count": 12, "created_at": "2025-02-20T10:00:00Z"}
            ]
        }
    }

    id: int
    code: str
    kind: DiscountKind
    value: int
    description: str
    min_subtotal_cents: int
    starts_at: UtcDatetime | None
    ends_at: UtcDatetime | None
    max_redemptions: int | None
    once_per_customer: bool
    active: bool
    redemption_count: int
    created_at: UtcDatetime

    @classmethod
    def of(cls, code: DiscountCode) -> DiscountPublic:
        return cls.model_validate(code, from_attributes=True)


class DiscountUsage(BaseModel):
    """A code with how it has been used: redemptions are counted when orders are paid."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 7,
                    "code": "SPRING15",
                    "kind": "percent",
                    "value": 15,
                    "active": True,
                    "status": "active",
                    "redemptions": 12,
                    "reserved": 2,
                    "max_redemptions": 500,
                    "discount_given_cents": 21480,
                    "revenue_cents": 121720,
                    "starts_at": "2025-03-01T00:00:00Z",
                    "ends_at": "2025-06-01T00:00:00Z",
                }
            ]
        }
    }

    id: int
    code: str
    kind: DiscountKind
    value: int
    active: bool
    status: str = Field(
        description="inactive, expired, used up, held by unpaid orders, scheduled or active."
    )
    redemptions: int = Field(description="Uses by paid orders.")
    reserved: int = Field(
        description="Uses held by unpaid orders: released if they are cancelled or their "
        "session expires, redeemed when paid. redemptions + reserved never exceeds the limit."
    )
    max_redemptions: int | None
    discount_given_cents: int
    revenue_cents: int = Field(description="Totals of the paid orders that used it.")
    starts_at: UtcDatetime | None
    ends_at: UtcDatetime | None

    @classmethod
    def of(cls, usage: CodeUsage) -> DiscountUsage:
        return cls.model_validate(
            {
                "id": usage.code_id,
                "code": usage.code,
                "kind": usage.kind,
                "value": usage.value,
                "active": usage.active,
                "status": usage.status_label,
                "redemptions": usage.redemptions,
                "reserved": usage.reserved,
                "max_redemptions": usage.max_redemptions,
                "discount_given_cents": usage.discount_given_cents,
                "revenue_cents": usage.revenue_cents,
                "starts_at": usage.starts_at,
                "ends_at": usage.ends_at,
            }
        )
