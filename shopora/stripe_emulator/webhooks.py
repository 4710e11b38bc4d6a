"""Signed webhook delivery with persisted retries, and the delivery log operators read."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .core import Core

DELIVERY_TIMEOUT = 10.0
_BATCH = 50
_LEASE = DELIVERY_TIMEOUT * _BATCH + 60


@dataclass(frozen=True)
class Attempt:
    status: int | None
    error: str | None
    response: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    """Stripe-Signature: HMAC-SHA256 keyed with the whole whsec_ secret over "{t}.{body}"."""
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver_due(core: Core, http: Callable[[], httpx.Client]) -> int:
    """Attempt every delivery that is due now; returns how many attempts were made."""
    url = core.config.webhook_url
    if url is None:
        return 0
    rows = _claim_due(core)
    if not rows:
        return 0
    client = http()
    for row in rows:
        event = json.loads(row["data"])
        attempt = _post(client, url, event, core.config.webhook_secret)
        _record(core, event, row["attempts"] + 1, url, attempt)
    return len(rows)


def _claim_due(core: Core) -> list[Any]:
    """Lease the due deliveries: another emulator on the same state file (or this one
    after a crash mid-attempt) only retries them once the lease has run out."""
    now = core.config.clock()
    with core.store.atomic():
        rows = core.store.query(
            "SELECT d.event_id, d.attempts, o.data FROM deliveries d "
            "JOIN objects o ON o.id = d.event_id "
            "WHERE d.state = 'pending' AND d.next_attempt_at <= ? "
            "ORDER BY d.next_attempt_at, o.seq LIMIT ?",
            (now, _BATCH),
        )
        for row in rows:
            core.store.execute(
                "UPDATE deliveries SET next_attempt_at = ? WHERE event_id = ?",
                (now + _LEASE, row["event_id"]),
            )
    return rows


def _post(client: httpx.Client, url: str, event: dict[str, Any], secret: str) -> Attempt:
    # Stripe pretty-prints event bodies; receivers must verify the raw bytes anyway.
    payload = json.dumps(event, indent=2)
    # Signed with real wall time, not the injectable clock: receivers check the timestamp
    # against their own clock (300 s tolerance).
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": signature_header(payload, secret, int(time.time())),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }
    try:
        response = client.post(url, content=payload.encode(), headers=headers)
    except httpx.HTTPError as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:500], None)
    return Attempt(response.status_code, None, response.text[:500])


def _record(core: Core, event: dict[str, Any], number: int, url: str, attempt: Attempt) -> None:
    now = core.config.clock()
    schedule = core.config.retry_schedule
    next_at = None
    if not attempt.ok and number <= len(schedule):
        next_at = now + schedule[number - 1]
    state = "delivered" if attempt.ok else ("pending" if next_at is not None else "failed")
    with core.store.atomic():
        core.store.execute(
            "UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ? WHERE event_id = ?",
            (state, number, next_at, event["id"]),
        )
        core.store.execute(
            "INSERT INTO delivery_attempts (event_id, event_type, attempt, attempted_at, url, "
            "http_status, error, response, next_retry_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event["id"], event["type"], number, now, url, attempt.status, attempt.error,
             attempt.response, next_at),
        )  # fmt: skip
        if state != "pending":
            _settle_event(core, event["id"])


def _settle_event(core: Core, event_id: str) -> None:
    record = core.store.get("event", event_id)
    if record is not None:
        record.data["pending_webhooks"] = 0
        core.store.save(record)


def delivery_log(core: Core, *, limit: int, event_id: str | None = None) -> list[dict[str, Any]]:
    """Attempts, newest first, as `webhook_delivery` objects (an emulator-only shape)."""
    sql = "SELECT * FROM delivery_attempts"
    args: list[Any] = []
    if event_id is not None:
        sql, args = sql + " WHERE event_id = ?", [event_id]
    rows = core.store.query(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit])
    return [
        {
            "id": f"whd_{row['seq']}",
            "object": "webhook_delivery",
            "event": row["event_id"],
            "event_type": row["event_type"],
            "attempt": row["attempt"],
            "attempted_at": row["attempted_at"],
            "url": row["url"],
            "succeeded": row["http_status"] is not None and 200 <= row["http_status"] < 300,
            "http_status": row["http_status"],
            "error": row["error"],
            "response_body": row["response"],
            "next_retry_at": row["next_retry_at"],
        }
        for row in rows
    ]


def queued(core: Core) -> list[dict[str, Any]]:
    """Deliveries still waiting for their next attempt, soonest first."""
    rows = core.store.query(
        "SELECT d.event_id, d.attempts, d.next_attempt_at, json_extract(o.data, '$.type') "
        "AS type FROM deliveries d JOIN objects o ON o.id = d.event_id "
        "WHERE d.state = 'pending' ORDER BY d.next_attempt_at"
    )
    return [dict(row) for row in rows]
