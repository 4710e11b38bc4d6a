"""Stripe's idempotent requests: the first response to a key is replayed for 24 hours.

Like Stripe, a request that fails validation saves nothing (it can be retried with the
same key), and reusing a key for other parameters or another endpoint is an
`idempotency_error`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .core import Core
from .errors import idempotency, invalid

KEY_LIFETIME = 24 * 60 * 60
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def check_key(key: str) -> None:
    if len(key) > MAX_KEY_LENGTH:
        raise invalid(
            f"Invalid Idempotency-Key: keys can be at most {MAX_KEY_LENGTH} characters long, "
            f"but the one you passed is {len(key)} characters.",
            code="idempotency_key_invalid",
        )


def run_once(
    core: Core,
    *,
    scope: str,
    key: str,
    endpoint: str,
    params: dict[str, Any],
    action: Callable[[], dict[str, Any]],
) -> Reply:
    """Run `action` unless `key` already answered; the whole thing is one transaction,
    so two concurrent requests with one key cannot both act."""
    fingerprint = _digest(json.dumps(params, sort_keys=True))
    scope = _digest(scope)  # keys are per API key, but the state file never holds one
    with core.store.atomic():
        rows = core.store.query(
            "SELECT endpoint, fingerprint, status, body FROM idempotency_keys "
            "WHERE scope = ? AND key = ? AND created > ?",
            (scope, key, core.config.clock() - KEY_LIFETIME),
        )
        if rows:
            return _replay(rows[0], key, endpoint, fingerprint)
        body = action()
        core.store.execute(
            "INSERT OR REPLACE INTO idempotency_keys "
            "(scope, key, endpoint, fingerprint, status, body, created) "
            "VALUES (?, ?, ?, ?, 200, ?, ?)",
            (scope, key, endpoint, fingerprint, json.dumps(body), core.config.clock()),
        )
    return Reply(200, body)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(row: Any, key: str, endpoint: str, fingerprint: str) -> Reply:
    retry_hint = f"Try using a key other than '{key}' if you meant to execute a different request."
    if row["endpoint"] != endpoint:
        raise idempotency(
            "Keys for idempotent requests can only be used for the same endpoint they were "
            f"first used for ('{row['endpoint']}' vs '{endpoint}'). {retry_hint}"
        )
    if row["fingerprint"] != fingerprint:
        raise idempotency(
            "Keys for idempotent requests can only be used with the same parameters they "
            f"were first used with. {retry_hint}"
        )
    return Reply(row["status"], json.loads(row["body"]), replayed=True)


def purge_expired(core: Core) -> int:
    return core.store.execute(
        "DELETE FROM idempotency_keys WHERE created <= ?",
        (core.config.clock() - KEY_LIFETIME,),
    )
