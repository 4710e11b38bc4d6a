"""Paying a session from the hosted page: the one place money "moves"."""

from __future__ import annotations

from typing import Any

from .cards import Card, Decline, Payer, outcome
from .core import Core, RequestInfo
from .coupons import redeem
from .payments import billing_details, record_decline, record_payment
from .sessions import background_request, load_session
from .store import Record


def pay_session(core: Core, session_id: str, card: Card | None, payer: Payer) -> Record | Decline:
    """Charge the card and complete the session, or say why not.

    Runs in one transaction under the store lock, so a double submit finds the session
    already complete and pays nothing twice. A session that is no longer open is
    returned untouched; the caller shows its state.
    """
    with core.store.atomic():
        record = load_session(core, session_id)
        session = record.data
        if session["status"] != "open":
            return record
        request = background_request(record)
        if session["amount_total"] == 0:
            _complete(core, record, payer, None, request)
            return record
        if card is None:
            raise ValueError("a card is required when money is due")
        decline = outcome(card)
        if decline is not None:
            _declined(core, record, decline, request)
            return decline
        intent, charge = record_payment(
            core,
            amount=session["amount_total"],
            currency=session["currency"],
            card=card,
            payer=payer,
            metadata=record.extra.get("intent_metadata") or {},
        )
        core.emit("charge.succeeded", charge, request)
        core.emit("payment_intent.succeeded", intent, request)
        _complete(core, record, payer, intent["id"], request)
    return record


def _declined(core: Core, record: Record, decline: Decline, request: RequestInfo) -> None:
    """Stripe tells the merchant about a declined attempt with payment_intent.payment_failed;
    the session stays open for another card."""
    intent = record_decline(
        core,
        amount=record.data["amount_total"],
        currency=record.data["currency"],
        decline=decline,
        metadata=record.extra.get("intent_metadata") or {},
        previous=record.extra.get("declined_intent"),
    )
    record.extra["declined_intent"] = intent["id"]
    core.store.save(record)
    core.emit("payment_intent.payment_failed", intent, request)


def _complete(
    core: Core, record: Record, payer: Payer, intent_id: str | None, request: RequestInfo
) -> None:
    details = billing_details(payer)
    customer: dict[str, Any] = {
        "address": details["address"],
        "email": payer.email,
        "name": payer.name,
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": [],
    }
    record.data.update(
        status="complete",
        # Stripe's no-cost orders (a 100% discount) complete without a payment.
        payment_status="paid" if intent_id else "no_payment_required",
        payment_intent=intent_id,
        customer_details=customer,
        url=None,
    )
    core.store.save(record)
    for discount in record.data["discounts"]:
        redeem(core, discount["coupon"])
    core.emit("checkout.session.completed", record.data, request)
