"""Sessions expire on request and when their time runs out."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from .harness import FakeClock, RunningEmulator, http, wait_until

pytestmark = pytest.mark.timeout(30)

HALF_HOUR = 30 * 60


def test_expiring_an_open_session_closes_it_and_emits_an_event(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)

    expired = client.v1.checkout.sessions.expire(session.id)

    assert isinstance(expired, stripe.checkout.Session)
    assert (expired.status, expired.payment_status, expired.url) == ("expired", "unpaid", None)
    event = client.v1.events.list({"type": "checkout.session.expired"}).data[0]
    assert event.data.object["id"] == session.id


def test_only_an_open_session_can_be_expired(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)
    client.v1.checkout.sessions.expire(session.id)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.expire(session.id)

    assert raised.value.http_status == 400
    assert raised.value.user_message == (
        'Only Checkout Sessions with a status in ["open"] can be expired. '
        "This Checkout Session has a status of `expired`."
    )


def test_a_sweep_expires_sessions_whose_time_has_passed(
    client: stripe.StripeClient,
    running: RunningEmulator,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    short = client.v1.checkout.sessions.create(
        {**session_params, "expires_at": int(clock.now) + HALF_HOUR}
    )
    long = client.v1.checkout.sessions.create(session_params)
    running.emulator.stop()  # from here on, only run_due_work() sweeps

    clock.advance(HALF_HOUR - 1)
    before = running.emulator.run_due_work()
    clock.advance(1)
    after = running.emulator.run_due_work()
    again = running.emulator.run_due_work()

    assert (before.expired_sessions, after.expired_sessions, again.expired_sessions) == (0, 1, 0)
    assert client.v1.checkout.sessions.retrieve(short.id).status == "expired"
    assert client.v1.checkout.sessions.retrieve(short.id).url is None
    assert client.v1.checkout.sessions.retrieve(long.id).status == "open"
    expired_events = client.v1.events.list({"type": "checkout.session.expired"}).data
    assert [e.data.object["id"] for e in expired_events] == [short.id]


def test_a_session_past_its_time_reads_as_expired_before_any_sweep(
    client: stripe.StripeClient,
    running: RunningEmulator,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    session = client.v1.checkout.sessions.create(
        {**session_params, "expires_at": int(clock.now) + HALF_HOUR}
    )
    running.emulator.stop()
    clock.advance(HALF_HOUR)
    assert session.url is not None

    page = http.get(session.url)

    assert "expired" in page.text
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    assert len(client.v1.events.list({"type": "checkout.session.expired"}).data) == 1


def test_the_background_worker_expires_sessions_on_its_own(
    client: stripe.StripeClient, clock: FakeClock, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(
        {**session_params, "expires_at": int(clock.now) + HALF_HOUR}
    )

    clock.advance(HALF_HOUR)

    wait_until(
        lambda: client.v1.events.list({"type": "checkout.session.expired"}).data,
        what="the worker to expire the session",
    )
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
