"""Idempotency keys replay the first answer for 24 h and refuse to be reused otherwise."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from .harness import API_KEY, FakeClock, RunningEmulator, http

pytestmark = pytest.mark.timeout(30)


def test_the_same_key_and_params_replay_the_first_session(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    first = client.v1.checkout.sessions.create(session_params, {"idempotency_key": "order-42"})
    again = client.v1.checkout.sessions.create(session_params, {"idempotency_key": "order-42"})

    assert again.to_dict() == first.to_dict()
    assert again.last_response is not None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert first.last_response is not None
    assert "Idempotent-Replayed" not in first.last_response.headers
    assert len(client.v1.checkout.sessions.list().data) == 1


def test_the_same_key_with_other_params_is_an_idempotency_error(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    client.v1.checkout.sessions.create(session_params, {"idempotency_key": "order-43"})

    with pytest.raises(stripe.IdempotencyError) as raised:
        client.v1.checkout.sessions.create(
            {**session_params, "client_reference_id": "other"}, {"idempotency_key": "order-43"}
        )

    assert raised.value.http_status == 400
    assert "same parameters" in str(raised.value.user_message)


def test_the_same_key_on_another_endpoint_is_an_idempotency_error(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    client.v1.checkout.sessions.create(session_params, {"idempotency_key": "shared"})

    with pytest.raises(stripe.IdempotencyError, match="same endpoint"):
        client.v1.coupons.create({"percent_off": 5}, {"idempotency_key": "shared"})


def test_a_key_longer_than_255_characters_is_refused(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    with pytest.raises(stripe.InvalidRequestError, match="255"):
        client.v1.checkout.sessions.create(session_params, {"idempotency_key": "k" * 256})


def test_a_request_that_failed_validation_saves_nothing_under_its_key(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.create({"mode": "payment"}, {"idempotency_key": "retry-me"})

    session = client.v1.checkout.sessions.create(session_params, {"idempotency_key": "retry-me"})

    assert session.status == "open"


def test_keys_are_forgotten_after_24_hours(
    client: stripe.StripeClient, clock: FakeClock, session_params: dict[str, Any]
) -> None:
    first = client.v1.checkout.sessions.create(session_params, {"idempotency_key": "old"})
    clock.advance(24 * 3600 + 1)

    second = client.v1.checkout.sessions.create(
        {**session_params, "client_reference_id": "43"}, {"idempotency_key": "old"}
    )

    assert second.id != first.id


def test_a_replayed_expire_answers_like_the_first_one(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    session = client.v1.checkout.sessions.create(session_params)

    first = client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "exp-1"})
    again = client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "exp-1"})

    assert first.status == again.status == "expired"
    with pytest.raises(stripe.InvalidRequestError, match="can be expired"):
        client.v1.checkout.sessions.expire(session.id, options={"idempotency_key": "exp-2"})


def test_a_replay_keeps_the_status_and_body_over_raw_http(running: RunningEmulator) -> None:
    headers = {"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": "raw-1"}
    url = f"{running.base_url}/v1/coupons"

    first = http.post(url, data={"percent_off": "15"}, headers=headers)
    again = http.post(url, data={"percent_off": "15"}, headers=headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
