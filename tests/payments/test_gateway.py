"""The gateway's edges: configuration it refuses, and Stripe failures as domain errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shopora.config import ConfigError, get_settings
from shopora.errors import PaymentError
from shopora.payments.errors import InvalidWebhook
from shopora.payments.gateway import build_gateway, verify_webhook

from .harness import SECRET, FakeClock, signature, start_emulator


@pytest.mark.parametrize("key", ["sk_live_51Habc", "rk_live_51Habc", "pk_test_51Habc"])
def test_live_or_wrong_keys_are_refused_when_settings_load(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", key)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="sk_test_"):
        get_settings()


def test_a_key_stripe_rejects_becomes_a_payment_error_that_does_not_repeat_it(
    tmp_path: Path,
) -> None:
    running = start_emulator(tmp_path / "keyed.sqlite3", FakeClock(), api_key="sk_test_right")
    try:
        gateway = build_gateway("sk_test_wrong_secret_value", running.base_url)
        with pytest.raises(PaymentError) as failed:
            gateway.retrieve_session("cs_test_anything")
    finally:
        running.stop()
    assert "STRIPE_SECRET_KEY" in failed.value.message
    assert "sk_test_wrong" not in failed.value.message


def test_an_unreachable_stripe_is_a_payment_error() -> None:
    gateway = build_gateway("sk_test_x", "http://127.0.0.1:9")
    with pytest.raises(PaymentError, match="Could not reach Stripe"):
        gateway.retrieve_session("cs_test_anything")


def test_webhook_timestamps_are_checked_against_the_given_clock() -> None:
    body = b'{"id": "evt_1", "object": "event", "type": "ping", "data": {"object": {}}}'
    now = int(time.time())
    header = signature(body, timestamp=now)
    assert verify_webhook(body, header, SECRET, now=now + 300)["id"] == "evt_1"
    with pytest.raises(InvalidWebhook, match="tolerance"):
        verify_webhook(body, header, SECRET, now=now - 301)
    with pytest.raises(InvalidWebhook, match="not a Stripe event"):
        verify_webhook(b"[]", signature(b"[]"), SECRET)
