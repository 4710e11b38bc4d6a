"""Coupons: create, retrieve, and the discount one takes off a Checkout Session."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import ids
from .core import Core, RequestInfo
from .errors import invalid, missing, no_such
from .money import CURRENCIES, percent_of
from .params import Params

_CREATE_PARAMS = {
    "id", "amount_off", "currency", "percent_off", "duration", "duration_in_months",
    "name", "max_redemptions", "metadata", "redeem_by", "expand",
}  # fmt: skip
_DURATIONS = ("once", "forever", "repeating")


def create_coupon(core: Core, params: Params, request: RequestInfo) -> dict[str, Any]:
    """POST /v1/coupons."""
    params.reject_unknown(_CREATE_PARAMS)
    amount_off, currency, percent_off = _read_value(params)
    duration = params.choice("duration", _DURATIONS) or "once"
    months = params.integer("duration_in_months", minimum=1)
    if duration == "repeating" and months is None:
        raise missing("duration_in_months")
    coupon_id = params.string("id", max_length=200) or ids.coupon_id()
    coupon = {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": amount_off,
        "created": core.now(),
        "currency": currency,
        "duration": duration,
        "duration_in_months": months if duration == "repeating" else None,
        "livemode": False,
        "max_redemptions": params.integer("max_redemptions", minimum=1),
        "metadata": params.metadata(),
        "name": params.string("name", max_length=40),
        "percent_off": float(percent_off) if percent_off is not None else None,
        "redeem_by": params.integer("redeem_by", minimum=1),
        "times_redeemed": 0,
        "valid": True,
    }
    with core.store.atomic():
        if core.store.get("coupon", coupon_id) is not None:
            raise invalid("Coupon already exists.", "id", "resource_already_exists")
        core.store.insert("coupon", coupon)
        core.emit("coupon.created", coupon, request)
    return coupon


def _read_value(params: Params) -> tuple[int | None, str | None, Decimal | None]:
    amount_off = params.integer("amount_off", minimum=1)
    percent_off = params.decimal("percent_off")
    if amount_off is not None and percent_off is not None:
        raise invalid("You may only specify one of these parameters: amount_off, percent_off.")
    if amount_off is None and percent_off is None:
        raise invalid("You must specify either amount_off or percent_off.", "percent_off")
    currency = params.string("currency")
    if amount_off is not None and currency is None:
        raise missing("currency")
    if currency is not None:
        currency = currency.lower()
        if currency not in CURRENCIES:
            raise invalid(f"Invalid currency: {currency}.", "currency")
    if percent_off is not None and not Decimal(0) < percent_off <= 100:
        raise invalid("Invalid percent_off: must be greater than 0 and at most 100.", "percent_off")
    return amount_off, currency, percent_off


def retrieve_coupon(core: Core, coupon_id: str) -> dict[str, Any]:
    """GET /v1/coupons/{id}."""
    record = core.store.get("coupon", coupon_id)
    if record is None:
        raise no_such("coupon", coupon_id, "id")
    return record.data


def usable_coupon(core: Core, coupon_id: str, currency: str, param: str) -> dict[str, Any]:
    """The coupon a new session may apply, or the error Stripe would give."""
    record = core.store.get("coupon", coupon_id)
    if record is None:
        raise no_such("coupon", coupon_id, param, status=400)
    coupon = record.data
    expired = coupon["redeem_by"] is not None and coupon["redeem_by"] < core.now()
    if not coupon["valid"] or expired:
        raise invalid(f"Coupon {coupon_id} is no longer valid.", param, "coupon_expired")
    if coupon["currency"] not in (None, currency):
        raise invalid(
            f"The coupon currency ({coupon['currency']}) does not match the currency of "
            f"the line items ({currency}).",
            param,
        )
    return coupon


def discount_amount(coupon: dict[str, Any], subtotal: int) -> int:
    """Coupons never discount shipping, and never below zero."""
    if coupon["amount_off"] is not None:
        return min(int(coupon["amount_off"]), subtotal)
    return min(percent_of(subtotal, Decimal(str(coupon["percent_off"]))), subtotal)


def redeem(core: Core, coupon_id: str) -> None:
    """Count a redemption when a session using the coupon is paid."""
    record = core.store.get("coupon", coupon_id)
    if record is None:
        return
    coupon = record.data
    coupon["times_redeemed"] += 1
    limit = coupon["max_redemptions"]
    if limit is not None and coupon["times_redeemed"] >= limit:
        coupon["valid"] = False
    core.store.save(record)
