"""Events are recorded, signed, delivered promptly and retried with backoff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stripe
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .harness import (
    API_KEY,
    SECRET,
    FakeClock,
    RunningEmulator,
    WebhookReceiver,
    http,
    pay,
    start_emulator,
    wait_until,
)

pytestmark = pytest.mark.timeout(30)
AUTH = {"Authorization": f"Bearer {API_KEY}"}


def _log(running: RunningEmulator) -> list[dict[str, Any]]:
    response = http.get(f"{running.base_url}/v1/webhook_deliveries", headers=AUTH)
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_a_payment_delivers_signed_events_the_sdk_verifies(
    client: stripe.StripeClient, receiver: WebhookReceiver, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)
    assert session.url is not None

    pay(session.url)
    receiver.wait_for(3)

    events = receiver.events()
    assert [e.type for e in events] == [
        "charge.succeeded", "payment_intent.succeeded", "checkout.session.completed",
    ]  # fmt: skip
    completed = events[2]
    assert completed.id.startswith("evt_")
    assert (completed.object, completed.livemode) == ("event", False)
    assert completed.data.object["id"] == session.id
    assert completed.data.object["payment_status"] == "paid"
    assert completed.pending_webhooks == 1
    assert completed.api_version == stripe.api_version  # the version the session was made with
    assert completed.request is not None
    assert (completed.request.id, completed.request.idempotency_key) == (None, None)
    assert receiver.received()[0].headers["content-type"] == "application/json; charset=utf-8"
    wait_until(lambda: client.v1.events.retrieve(completed.id).pending_webhooks == 0,
               what="the event to be settled")  # fmt: skip


def test_events_from_api_calls_carry_the_request_and_api_version(
    client: stripe.StripeClient, receiver: WebhookReceiver, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)

    client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "expire-42"})

    receiver.wait_for(1)
    (event,) = receiver.events()
    assert event.type == "checkout.session.expired"
    assert event.api_version == stripe.api_version
    assert event.request is not None
    assert str(event.request.id).startswith("req_")
    assert event.request.idempotency_key == "expire-42"


def test_events_list_newest_first_and_filter_by_type(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    first = client.v1.checkout.sessions.create(session_params)
    second = client.v1.checkout.sessions.create(session_params)
    client.v1.checkout.sessions.expire(first.id)
    client.v1.checkout.sessions.expire(second.id)
    client.v1.coupons.create({"percent_off": 5})

    expired = client.v1.events.list({"type": "checkout.session.expired"})
    everything = client.v1.events.list({"limit": 2})

    assert [e.data.object["id"] for e in expired.data] == [second.id, first.id]
    assert [e.type for e in everything.data] == ["coupon.created", "checkout.session.expired"]
    assert everything.has_more is True
    assert isinstance(everything.data[0], stripe.Event)


def test_a_failed_delivery_is_retried_after_the_backoff(
    client: stripe.StripeClient,
    running: RunningEmulator,
    receiver: WebhookReceiver,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    receiver.fail_first = 1
    session = client.v1.checkout.sessions.create(session_params)
    client.v1.checkout.sessions.expire(session.id)

    receiver.wait_for(1)
    first = wait_until(lambda: _log(running), what="the first attempt to be logged")[0]
    running.emulator.run_due_work()  # not due yet: nothing happens
    assert len(receiver.received()) == 1
    clock.advance(5)
    receiver.wait_for(2)

    bodies = [json.loads(r.body) for r in receiver.received()]
    assert bodies[0]["id"] == bodies[1]["id"]
    assert len(receiver.events()) == 2  # both attempts signed and verifiable
    assert (first["attempt"], first["http_status"], first["succeeded"]) == (1, 500, False)
    assert first["next_retry_at"] == pytest.approx(first["attempted_at"] + 5)
    second = wait_until(lambda: len(_log(running)) == 2 and _log(running))[0]
    assert (second["attempt"], second["http_status"], second["next_retry_at"]) == (2, 200, None)


def test_delivery_gives_up_when_the_schedule_is_used_up(
    client: stripe.StripeClient,
    running: RunningEmulator,
    receiver: WebhookReceiver,
    clock: FakeClock,
    session_params: dict[str, Any],
) -> None:
    receiver.fail_first = 100
    session = client.v1.checkout.sessions.create(session_params)
    running.emulator.stop()
    client.v1.checkout.sessions.expire(session.id)

    for wait in (0, 5, 30, 3600):  # the harness's retry_schedule is (5, 30)
        clock.advance(wait)
        running.emulator.run_due_work()

    assert len(receiver.received()) == 3
    assert [a["attempt"] for a in _log(running)] == [3, 2, 1]
    assert _log(running)[0]["next_retry_at"] is None
    event = client.v1.events.list({"type": "checkout.session.expired"}).data[0]
    assert event.pending_webhooks == 0


def test_without_a_webhook_url_events_are_recorded_not_delivered(
    state_path: Path, clock: FakeClock, session_params: dict[str, Any]
) -> None:
    running = start_emulator(state_path, clock, None)
    try:
        client = running.client()
        session = client.v1.checkout.sessions.create(session_params)
        client.v1.checkout.sessions.expire(session.id)
        running.emulator.run_due_work()

        event = client.v1.events.list().data[0]
        assert (event.type, event.pending_webhooks) == ("checkout.session.expired", 0)
        assert _log(running) == []
    finally:
        running.stop(wait=False)


def test_the_delivery_log_is_readable_as_html_and_as_json_with_a_key(
    client: stripe.StripeClient,
    running: RunningEmulator,
    receiver: WebhookReceiver,
    session_params: dict[str, Any],
) -> None:
    session = client.v1.checkout.sessions.create(session_params)
    client.v1.checkout.sessions.expire(session.id)
    receiver.wait_for(1)
    entry = wait_until(lambda: _log(running), what="the attempt to be logged")[0]

    html = http.get(f"{running.base_url}/deliveries")
    anonymous = http.get(f"{running.base_url}/v1/webhook_deliveries")

    assert html.status_code == 200
    assert entry["event"] in html.text and "checkout.session.expired" in html.text
    assert anonymous.status_code == 401
    assert (entry["object"], entry["event_type"], entry["http_status"]) == (
        "webhook_delivery", "checkout.session.expired", 200,
    )  # fmt: skip
    index = http.get(f"{running.base_url}/")
    assert f'href="{running.base_url}/deliveries"' in index.text


def test_a_receiver_in_the_same_process_gets_deliveries_and_can_call_back(
    state_path: Path, clock: FakeClock, session_params: dict[str, Any]
) -> None:
    """Like Shopora: webhook route and emulator in one app, the handler retrieving the
    session from the emulator while the delivery is in flight."""
    seen: list[str] = []
    holder: dict[str, RunningEmulator] = {}

    async def hook(request: Request) -> Response:
        event = stripe.Webhook.construct_event(
            await request.body(), request.headers["stripe-signature"], SECRET
        )
        client = holder["running"].client()
        session = await run_in_threadpool(
            client.v1.checkout.sessions.retrieve, event.data.object["id"]
        )
        seen.append(f"{event.type}:{session.status}")
        return PlainTextResponse("ok")

    running = start_emulator(
        state_path, clock, lambda url: f"{url}/api/webhooks/stripe",
        extra_routes=[Route("/api/webhooks/stripe", hook, methods=["POST"])],
    )  # fmt: skip
    holder["running"] = running
    try:
        client = running.client()
        session = client.v1.checkout.sessions.create(session_params)
        client.v1.checkout.sessions.expire(session.id)

        wait_until(lambda: seen, what="the in-process receiver")
        assert seen == ["checkout.session.expired:expired"]
    finally:
        running.stop(wait=False)
