"""API keys, checked the way Stripe answers a missing, wrong or live key."""

from __future__ import annotations

import base64
import binascii
import hmac

from .config import EmulatorConfig
from .errors import StripeError, authentication

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)


def authenticate(header: str | None, config: EmulatorConfig) -> str:
    """The caller's secret key, or the 401 Stripe would answer."""
    key = _key_from_header(header or "")
    if not key:
        raise authentication(_NO_KEY)
    if key.startswith(("sk_live_", "rk_live_")):
        raise authentication(
            "The Stripe emulator refuses live mode keys; use a test key (sk_test_...)."
        )
    if config.api_key is not None:
        valid = hmac.compare_digest(key.encode(), config.api_key.encode())
    else:
        valid = key.startswith("sk_test_") and len(key) > len("sk_test_")
    if not valid:
        raise authentication(f"Invalid API Key provided: {_mask(key)}")
    return key


def _key_from_header(header: str) -> str:
    scheme, _, credential = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return credential.strip()
    if scheme.lower() == "basic":
        # curl -u sk_test_...: sends the key as the basic-auth user name.
        try:
            decoded = base64.b64decode(credential.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[0]
    return ""


def _mask(key: str) -> str:
    # The prefix (sk_test_) is not secret; of the rest, only a long key shows its tail.
    head, tail = key[:8], (key[-4:] if len(key) > 16 else "")
    return head + "*" * (len(key) - len(head) - len(tail)) + tail


def auth_failure_headers(error: StripeError) -> dict[str, str]:
    return {"WWW-Authenticate": 'Basic realm="Stripe"'} if error.status == 401 else {}
