"""Real servers on loopback for the payments tests: the official SDK talks HTTP to the
emulator, and the emulator's hosted page is paid with HTTP form posts. No mocks of Stripe."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import stripe

from shopora.config import EMULATOR_WEBHOOK_SECRET
from tests.loopback import FakeClock as FakeClock
from tests.loopback import wait_until as wait_until
from tests.stripe_emulator import harness as emulator_harness
from tests.stripe_emulator.harness import card_form

API_KEY = "sk_test_payments"
SECRET = EMULATOR_WEBHOOK_SECRET  # what Settings.webhook_secret() gives without STRIPE_* set
APP_BASE_URL = "http://shop.test"
GOOD_CARD = "4242424242424242"


class RunningEmulator(emulator_harness.RunningEmulator):
    """The emulator tests' running emulator, with what the payment tests ask of it."""

    @property
    def state_path(self) -> Path:
        return self.config.state_path

    def client(self, api_key: str = API_KEY) -> stripe.StripeClient:
        """A plain SDK client, for acting at "Stripe" directly (e.g. a dashboard refund)."""
        return stripe.StripeClient(api_key, base_addresses={"api": self.base_url})

    def events(self, event_type: str) -> list[dict[str, Any]]:
        """Events as the emulator recorded them (raw JSON, newest first)."""
        response = httpx.get(
            f"{self.base_url}/v1/events",
            params={"type": event_type, "limit": 100},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        response.raise_for_status()
        events: list[dict[str, Any]] = response.json()["data"]
        return events


def start_emulator(
    state_path: Path,
    clock: FakeClock,
    *,
    webhook_url: str | None = None,
    port: int = 0,
    api_key: str | None = None,
) -> RunningEmulator:
    """The emulator mounted under /stripe-emulator, as the Shopora server mounts it, with
    the shop's webhook secret and short retry delays."""
    running = emulator_harness.start_emulator(
        state_path,
        clock,
        webhook_url,
        secret=SECRET,
        port=port,
        api_key=api_key,
        sweep_interval=0.1,
        retry_schedule=(1, 2),
    )
    return RunningEmulator(running.server, running.config, clock)


def submit_card(session_url: str, card: str) -> httpx.Response:
    page = httpx.get(session_url)
    assert page.status_code == 200, page.text
    form = card_form(card, email="ada@example.test")
    return httpx.post(session_url, data=form, follow_redirects=False)


def pay(session_url: str, card: str = GOOD_CARD) -> str:
    """Pay on the hosted page; returns the success URL Stripe redirected to."""
    response = submit_card(session_url, card)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(f"{APP_BASE_URL}/payment_return?session_id=cs_"), location
    return location


def signature(body: bytes, *, timestamp: int | None = None, secret: str = SECRET) -> str:
    """The Stripe-Signature header Stripe would send with this raw body."""
    return stripe.WebhookSignature.generate_signature_header(body.decode(), secret, timestamp)


def signed(
    event: dict[str, Any], *, timestamp: int | None = None, secret: str = SECRET
) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, as Stripe would send them."""
    body = json.dumps(event).encode()
    return body, signature(body, timestamp=timestamp, secret=secret)


def event_for(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    """A fresh event (new id) around an object, shaped like Stripe's."""
    return {
        "id": f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "api_version": "2026-10-28.endive",
        "data": {"object": obj},
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
    }
