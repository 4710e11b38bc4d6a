"""Turning a validated draft into Stripe's Checkout Session, line item and price objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ids
from .errors import invalid
from .money import MAXIMUM_AMOUNT, format_money, minimum_amount, split_proportionally
from .session_params import LineDraft, SessionDraft, ShippingDraft


@dataclass(frozen=True)
class Totals:
    subtotal: int
    discount: int
    shipping: int
    line_discounts: list[int]

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.shipping


def single_currency(draft: SessionDraft) -> str:
    currency = draft.lines[0].currency
    for line in draft.lines[1:]:
        if line.currency != currency:
            raise invalid(
                f"All line items must use the same currency (got {currency} and {line.currency}).",
                f"{line.param}[price_data][currency]",
            )
    if draft.shipping is not None and draft.shipping.currency != currency:
        raise invalid(
            f"The shipping rate currency ({draft.shipping.currency}) must match the "
            f"currency of the line items ({currency}).",
            draft.shipping.param,
        )
    return currency


def totals_for(draft: SessionDraft, discount: int) -> Totals:
    subtotals = [line.unit_amount * line.quantity for line in draft.lines]
    shipping = draft.shipping.amount if draft.shipping else 0
    return Totals(sum(subtotals), discount, shipping, split_proportionally(discount, subtotals))


def check_amount_due(totals: Totals, currency: str) -> None:
    """Stripe's limits on what one session may charge (zero is a no-cost order)."""
    if max(totals.subtotal, totals.total) > MAXIMUM_AMOUNT:
        limit = format_money(MAXIMUM_AMOUNT, currency)
        raise invalid(
            f"The Checkout Session's total amount due must be no more than {limit} {currency}",
            "line_items",
            "amount_too_large",
        )
    least = minimum_amount(currency)
    if 0 < totals.total < least:
        raise invalid(
            "The Checkout Session's total amount due must add up to at least "
            f"{format_money(least, currency)} {currency}",
            code="amount_too_small",
        )


def line_item(line: LineDraft, discount: int, created: int) -> dict[str, Any]:
    subtotal = line.unit_amount * line.quantity
    return {
        "id": ids.new_id("li_"),
        "object": "item",
        "amount_discount": discount,
        "amount_subtotal": subtotal,
        "amount_tax": 0,
        "amount_total": subtotal - discount,
        "currency": line.currency,
        "description": line.name,
        "quantity": line.quantity,
        "price": _price(line, created),
    }


def _price(line: LineDraft, created: int) -> dict[str, Any]:
    # price_data makes a one-off, inactive price on the fly, as Stripe does.
    return {
        "id": ids.new_id("price_"),
        "object": "price",
        "active": False,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": line.currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": ids.new_id("prod_", 14),
        "recurring": None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time",
        "unit_amount": line.unit_amount,
        "unit_amount_decimal": str(line.unit_amount),
    }


def shipping_rate(shipping: ShippingDraft, created: int) -> dict[str, Any]:
    return {
        "id": ids.new_id("shr_"),
        "object": "shipping_rate",
        "active": True,
        "created": created,
        "delivery_estimate": None,
        "display_name": shipping.display_name,
        "fixed_amount": {"amount": shipping.amount, "currency": shipping.currency},
        "livemode": False,
        "metadata": shipping.metadata,
        "tax_behavior": "unspecified",
        "tax_code": None,
        "type": "fixed_amount",
    }


def session_object(
    draft: SessionDraft,
    *,
    session_id: str,
    url: str,
    currency: str,
    totals: Totals,
    rate: dict[str, Any] | None,
    created: int,
    expires_at: int,
) -> dict[str, Any]:
    amount = totals.shipping
    return {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": totals.subtotal,
        "amount_total": totals.total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": draft.cancel_url,
        "client_reference_id": draft.client_reference_id,
        "client_secret": None,
        "consent": None,
        "created": created,
        "currency": currency,
        "custom_fields": [],
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": draft.customer_email,
        "discounts": [{"coupon": draft.coupon_id, "promotion_code": None}]
        if draft.coupon_id
        else [],
        "expires_at": expires_at,
        "invoice": None,
        "livemode": False,
        "locale": draft.locale,
        "metadata": draft.metadata,
        "mode": "payment",
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "shipping_address_collection": None,
        "shipping_cost": {
            "amount_subtotal": amount,
            "amount_tax": 0,
            "amount_total": amount,
            "shipping_rate": rate["id"],
        }
        if rate
        else None,
        "shipping_options": [{"shipping_amount": amount, "shipping_rate": rate["id"]}]
        if rate
        else [],
        "status": "open",
        "submit_type": None,
        "success_url": draft.success_url,
        "total_details": {
            "amount_discount": totals.discount,
            "amount_shipping": totals.shipping,
            "amount_tax": 0,
        },
        "ui_mode": "hosted",
        "url": url,
    }
