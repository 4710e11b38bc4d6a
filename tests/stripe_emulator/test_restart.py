"""A restart on the same state file loses no session, payment or pending delivery."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import FakeClock, RunningEmulator, WebhookReceiver, http, pay, start_emulator

pytestmark = pytest.mark.timeout(30)


def _restart(running: RunningEmulator, receiver: WebhookReceiver) -> RunningEmulator:
    running.stop()
    return start_emulator(running.config.state_path, running.clock, f"{receiver.url}/hook")


def test_an_open_session_is_still_payable_after_a_restart(
    running: RunningEmulator, receiver: WebhookReceiver, session_params: dict[str, Any]
) -> None:
    session = running.client().v1.checkout.sessions.create(session_params)

    restarted = _restart(running, receiver)
    try:
        url = f"{restarted.base_url}/pay/{session.id}"
        assert "Mechanical keyboard" in http.get(url).text
        assert pay(url).status_code == 303
        after = restarted.client().v1.checkout.sessions.retrieve(session.id)
        assert (after.status, after.payment_status) == ("complete", "paid")
        assert restarted.client().v1.payment_intents.retrieve(str(after.payment_intent))
    finally:
        restarted.stop(wait=False)


def test_a_pending_delivery_is_delivered_after_a_restart(
    running: RunningEmulator,
    receiver: WebhookReceiver,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    receiver.fail_first = 1
    client = running.client()
    session = client.v1.checkout.sessions.create(session_params)
    client.v1.checkout.sessions.expire(session.id)
    receiver.wait_for(1)

    restarted = _restart(running, receiver)
    try:
        clock.advance(5)
        restarted.emulator.start()  # no request has reached the new app yet
        receiver.wait_for(2)
        first, second = receiver.events()
        assert first.id == second.id
        assert second.type == "checkout.session.expired"
    finally:
        restarted.stop(wait=False)


def test_idempotency_keys_survive_a_restart(
    running: RunningEmulator,
    receiver: WebhookReceiver,
    session_params: dict[str, Any],
) -> None:
    first = running.client().v1.checkout.sessions.create(
        session_params, {"idempotency_key": "order-7"}
    )

    restarted = _restart(running, receiver)
    try:
        again = restarted.client().v1.checkout.sessions.create(
            session_params, {"idempotency_key": "order-7"}
        )
        assert again.id == first.id
    finally:
        restarted.stop(wait=False)
