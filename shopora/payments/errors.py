"""Errors that only the payments layer raises."""

from __future__ import annotations

from shopora.errors import ShoporaError


class InvalidWebhook(ShoporaError):
    """A webhook we cannot trust: missing, wrong, stale or future signature, or a bad body."""

    code = "invalid_webhook"
