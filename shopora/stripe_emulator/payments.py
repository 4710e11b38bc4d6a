"""Payment intents and charges: created when a hosted page payment succeeds."""

from __future__ import annotations

from typing import Any

from . import ids
from .cards import Card, Decline, Payer
from .core import Core
from .errors import no_such

INTENT = "payment_intent"
CHARGE = "charge"


def billing_details(payer: Payer) -> dict[str, Any]:
    return {
        "address": {
            "city": None,
            "country": payer.country,
            "line1": None,
            "line2": None,
            "postal_code": payer.postal_code,
            "state": None,
        },
        "email": payer.email,
        "name": payer.name,
        "phone": None,
        "tax_id": None,
    }


def record_payment(
    core: Core,
    *,
    amount: int,
    currency: str,
    card: Card,
    payer: Payer,
    metadata: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store a succeeded payment intent and its charge (in the caller's transaction)."""
    now = core.now()
    intent_id, charge_id, method_id = ids.new_id("pi_"), ids.new_id("ch_"), ids.new_id("pm_")
    intent = _intent(intent_id, amount, currency, now)
    intent.update(latest_charge=charge_id, payment_method=method_id, metadata=metadata or {})
    charge = _charge(charge_id, amount, currency, now)
    charge.update(
        billing_details=billing_details(payer),
        payment_intent=intent_id,
        payment_method=method_id,
        payment_method_details=_card_details(card),
    )
    core.store.insert(INTENT, intent)
    core.store.insert(CHARGE, charge)
    return intent, charge


def record_decline(
    core: Core,
    *,
    amount: int,
    currency: str,
    decline: Decline,
    metadata: dict[str, str],
    previous: str | None,
) -> dict[str, Any]:
    """A payment intent left as Stripe leaves a declined Checkout payment: status
    requires_payment_method with the decline in last_payment_error. A session keeps one such
    intent across retries (`previous`)."""
    now = core.now()
    error = {
        "type": "card_error",
        "code": decline.code,
        "decline_code": decline.decline_code,
        "message": decline.message,
    }
    if previous is not None and (record := core.store.get(INTENT, previous)) is not None:
        record.data.update(last_payment_error=error)
        core.store.save(record)
        return record.data
    intent = _intent(ids.new_id("pi_"), amount, currency, now)
    intent.update(
        status="requires_payment_method",
        amount_received=0,
        last_payment_error=error,
        metadata=metadata,
    )
    core.store.insert(INTENT, intent)
    return intent


def _intent(intent_id: str, amount: int, currency: str, now: int) -> dict[str, Any]:
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": amount,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{ids.new_id('', 24)}",
        "confirmation_method": "automatic",
        "created": now,
        "currency": currency,
        "customer": None,
        "description": None,
        "last_payment_error": None,
        "livemode": False,
        "metadata": {},
        "payment_method_types": ["card"],
        "receipt_email": None,
        "status": "succeeded",
    }


def _charge(charge_id: str, amount: int, currency: str, now: int) -> dict[str, Any]:
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": 0,
        "balance_transaction": None,
        "captured": True,
        "created": now,
        "currency": currency,
        "customer": None,
        "description": None,
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": {},
        "outcome": {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": True,
        "receipt_email": None,
        "receipt_url": None,
        "refunded": False,
        "status": "succeeded",
    }


def _card_details(card: Card) -> dict[str, Any]:
    return {
        "type": "card",
        "card": {
            "brand": card.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": "pass",
                "cvc_check": "pass",
            },
            "country": card.country,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "funding": card.funding,
            "last4": card.last4,
            "network": card.brand,
        },
    }


def retrieve_intent(core: Core, intent_id: str, expand: list[str]) -> dict[str, Any]:
    record = core.store.get(INTENT, intent_id)
    if record is None:
        raise no_such("payment_intent", intent_id, "intent")
    intent = dict(record.data)
    if "latest_charge" in expand and intent["latest_charge"]:
        intent["latest_charge"] = retrieve_charge(core, intent["latest_charge"])
    return intent


def retrieve_charge(core: Core, charge_id: str) -> dict[str, Any]:
    record = core.store.get(CHARGE, charge_id)
    if record is None:
        raise no_such("charge", charge_id, "id")
    return record.data
