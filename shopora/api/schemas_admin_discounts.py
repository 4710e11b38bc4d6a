"""Discount codes as operators manage them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from shopora.api.schemas_common import PartialUpdate, UtcDatetime
from shopora.models import DiscountCode, DiscountKind
from shopora.models.base import field_values
from shopora.models.discounts import (
    Cents,
    CodeText,
    Description,
    DiscountCodeBase,
    Flag,
    Limit,
    Value,
)
from shopora.models.fields import Moment
from shopora.services.discounts_admin import CodeUsage

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


def _doc(field: str) -> Any:
    """A PATCH field: optional, with the doc DiscountCodeBase declares for it."""
    return Field(default=None, description=DiscountCodeBase.model_fields[field].description)


class DiscountCreate(DiscountCodeBase):
    """The fields, limits and docs are DiscountCodeBase's (the table and the discounts service
    use the same); the service adds the value each kind allows, the window's order and the
    checks against history."""

    model_config = {"json_schema_extra": {"examples": [_CODE]}}


class DiscountUpdate(PartialUpdate):
    """Only the fields sent change; null empties `starts_at`, `ends_at` and
    `max_redemptions` and leaves the others as they are. Each field has DiscountCodeBase's
    type and doc."""

    CLEARABLE = frozenset({"starts_at", "ends_at", "max_redemptions"})
    model_config = {"json_schema_extra": {"examples": [{"active": False}, {"ends_at": None}]}}

    code: CodeText | None = _doc("code")
    kind: DiscountKind | None = _doc("kind")
    value: Value | None = _doc("value")
    description: Description | None = _doc("description")
    min_subtotal_cents: Cents | None = _doc("min_subtotal_cents")
    starts_at: Moment | None = _doc("starts_at")
    ends_at: Moment | None = _doc("ends_at")
    max_redemptions: Limit | None = _doc("max_redemptions")
    once_per_customer: Flag | None = _doc("once_per_customer")
    active: Flag | None = _doc("active")


class DiscountPublic(DiscountCodeBase):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {**_CODE, "id": 7, "redemption_count": 12, "created_at": "2025-02-20T10:00:00Z"}
            ]
        }
    }

    id: int
    redemption_count: int
    created_at: UtcDatetime

    @classmethod
    def of(cls, code: DiscountCode) -> DiscountPublic:
        return cls.model_validate(
            {
                **field_values(code, DiscountCodeBase),
                "id": code.id,
                "redemption_count": code.redemption_count,
                "created_at": code.created_at,
            }
        )


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
