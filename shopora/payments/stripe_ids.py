"""What a Stripe id can look like. A webhook is signed by Stripe but its ids are still only
data: an id that cannot exist (empty, a path, control characters) must never reach Stripe's
URL path or the database, and an event carrying one is acknowledged as ignored."""

from __future__ import annotations

import hashlib
import re
from typing import Any

# Stripe ids: a prefix, an underscore and letters or digits (test/live sessions have two
# parts, e.g. cs_test_a1B2...). 255 is the longest our columns keep.
_ID = re.compile(r"[a-z]{2,8}_[A-Za-z0-9_]{1,246}")
_SESSION = re.compile(r"cs_(?:test|live)_[A-Za-z0-9_]{1,246}")
_INTENT = re.compile(r"pi_[A-Za-z0-9_]{1,250}")
_EVENT = re.compile(r"evt_[A-Za-z0-9_]{1,250}")
_TYPE = re.compile(r"[a-z0-9_.]{1,80}")


def _fits(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def is_session_id(value: Any) -> bool:
    return _fits(_SESSION, value)


def is_payment_intent_id(value: Any) -> bool:
    return _fits(_INTENT, value)


def is_object_id(value: Any) -> bool:
    return _fits(_ID, value)


def is_event_type(value: Any) -> bool:
    return _fits(_TYPE, value)


def event_key(value: Any) -> str:
    """The id an event is de-duplicated and logged under: its own when well formed, else a
    stable digest of whatever it carried (so a replay of a malformed event is still a
    duplicate, and nothing unprintable reaches the database)."""
    if _fits(_EVENT, value):
        return str(value)
    digest = hashlib.sha256(repr(value).encode("utf-8", "backslashreplace")).hexdigest()
    return f"malformed_{digest[:40]}"


def shown(value: Any, limit: int = 60) -> str:
    """A printable, bounded rendering of an untrusted value for logs and outcomes."""
    text = value if isinstance(value, str) else repr(value)
    printable = text.encode("ascii", "backslashreplace").decode("ascii")
    cleaned = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in printable)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
