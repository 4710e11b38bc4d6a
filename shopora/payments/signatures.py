"""Verifying a Stripe webhook: the raw body, its Stripe-Signature header and the endpoint
secret in; the event out, or InvalidWebhook."""

from __future__ import annotations

import json
import time
from typing import Any

import stripe

from shopora.payments.errors import InvalidWebhook

WEBHOOK_TOLERANCE_SECONDS = 300


def _signature_timestamp(sig_header: str) -> int:
    for part in sig_header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    raise InvalidWebhook("The Stripe-Signature header has no timestamp.")


def _parse_event(payload: bytes) -> dict[str, Any]:
    try:
        event = json.loads(payload)
    except ValueError:  # not JSON, or not UTF-8
        raise InvalidWebhook("The webhook body is not valid JSON.") from None
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
    ):
        raise InvalidWebhook("The webhook body is not a Stripe event.")
    return event


def verify_webhook(
    payload: bytes, sig_header: str | None, secret: str, *, now: float | None = None
) -> dict[str, Any]:
    """The event, if `payload` (the raw body) is signed with `secret` within 300 s of now.

    The body is parsed first only so that a signed body that is not a JSON object is
    refused cleanly (construct_event would fail on it with an AttributeError). The SDK
    refuses old timestamps only; future ones are refused here.
    """
    if not sig_header:
        raise InvalidWebhook("Missing Stripe-Signature header.")
    event = _parse_event(payload)
    try:
        stripe.Webhook.construct_event(
            payload, sig_header, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError:
        raise InvalidWebhook("The webhook signature does not verify.") from None
    except ValueError:
        raise InvalidWebhook("The webhook body is not valid JSON.") from None
    timestamp = _signature_timestamp(sig_header)
    current = time.time() if now is None else now
    if abs(timestamp - current) > WEBHOOK_TOLERANCE_SECONDS:
        raise InvalidWebhook("The webhook signature timestamp is outside the 300 s tolerance.")
    return event
