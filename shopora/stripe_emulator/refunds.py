"""Refunds of a paid charge, full or partial."""

from __future__ import annotations

from typing import Any

from . import ids
from .core import Core, RequestInfo
from .errors import invalid, no_such
from .money import format_money
from .params import Params
from .payments import CHARGE, INTENT
from .store import Record

REFUND = "refund"
_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def create_refund(core: Core, params: Params, request: RequestInfo) -> dict[str, Any]:
    """POST /v1/refunds: by payment_intent or charge; amount defaults to what remains."""
    params.reject_unknown({"payment_intent", "charge", "amount", "reason", "metadata", "expand"})
    amount = params.integer("amount", minimum=1)
    reason = params.choice("reason", _REASONS)
    metadata = params.metadata()
    with core.store.atomic():
        charge = _charge_to_refund(core, params)
        remaining = charge.data["amount"] - charge.data["amount_refunded"]
        amount = _check_amount(charge.data, amount, remaining)
        refund = _refund(core, charge.data, amount, reason, metadata)
        charge.data["amount_refunded"] += amount
        charge.data["refunded"] = charge.data["amount_refunded"] == charge.data["amount"]
        core.store.save(charge)
        core.store.insert(REFUND, refund)
        core.emit("charge.refunded", charge.data, request)
        core.emit("refund.created", refund, request)
    return refund


def _charge_to_refund(core: Core, params: Params) -> Record:
    intent_id, charge_id = params.string("payment_intent"), params.string("charge")
    if intent_id is None and charge_id is None:
        raise invalid(
            "One of the following params should be provided for this request: "
            "payment_intent or charge."
        )
    if intent_id is not None:
        intent = core.store.get(INTENT, intent_id)
        if intent is None:
            raise no_such("payment_intent", intent_id, "payment_intent", status=400)
        if charge_id is not None and charge_id != intent.data["latest_charge"]:
            raise invalid(
                f"Charge {charge_id} does not belong to PaymentIntent {intent_id}.", "charge"
            )
        charge_id = intent.data["latest_charge"]
    assert charge_id is not None  # either given, or the intent's succeeded charge
    charge = core.store.get(CHARGE, charge_id)
    if charge is None:
        raise no_such("charge", charge_id, "charge", status=400)
    return charge


def _check_amount(charge: dict[str, Any], amount: int | None, remaining: int) -> int:
    if remaining == 0:
        raise invalid(
            f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
        )
    if amount is None:
        return remaining
    if amount > remaining:
        currency = charge["currency"]
        limit = (
            f"charge amount ({format_money(charge['amount'], currency)})"
            if charge["amount_refunded"] == 0
            else f"unrefunded amount on charge ({format_money(remaining, currency)})"
        )
        raise invalid(
            f"Refund amount ({format_money(amount, currency)}) is greater than {limit}",
            "amount",
            "amount_too_large",
        )
    return amount


def _refund(
    core: Core, charge: dict[str, Any], amount: int, reason: str | None, metadata: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": ids.new_id("re_"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": core.now(),
        "currency": charge["currency"],
        "destination_details": {"card": {"type": "refund"}, "type": "card"},
        "metadata": metadata,
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


def retrieve_refund(core: Core, refund_id: str) -> dict[str, Any]:
    record = core.store.get(REFUND, refund_id)
    if record is None:
        raise no_such("refund", refund_id, "id")
    return record.data
