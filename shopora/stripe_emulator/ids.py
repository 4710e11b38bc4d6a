"""Object ids with Stripe's prefixes, so ids read (and log) like the real thing."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def session_id() -> str:
    # Stripe's Checkout Session ids are long: cs_test_ + 58 characters.
    return new_id("cs_test_", 58)


def coupon_id() -> str:
    # Stripe generates short upper-case coupon ids such as "Z4OV52SU".
    return "".join(secrets.choice(_UPPER) for _ in range(8))


def request_id() -> str:
    return new_id("req_", 14)
