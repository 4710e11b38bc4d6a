"""What the API refuses before any route runs: bodies over the size limit, and control
characters in the path or the query string.

A body over the limit is a 413 as soon as it is known: from `Content-Length` before a byte
is read, or, for a body sent without one (chunked), when the bytes counted so far pass it,
so an 8 MB upload is never held in memory. PostgreSQL text cannot hold NUL, and no name,
slug or search in Shopora has a control character: one in the path or the query is a 422
naming where it was, on every database, before it can reach a query.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopora.api.errors import error_json

# JSON bodies are small (the largest is a product with a 2,000-character description);
# pictures are uploaded through the UI, whose own limit is unchanged.
MAX_BODY_BYTES = 1024 * 1024

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def too_large() -> str:
    return f"The request body is larger than {MAX_BODY_BYTES // 1024} KiB."


class RequestGuard:
    """ASGI middleware in front of the API's routes (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _refusal(self, scope: Scope) -> ASGIApp | None:
        declared = _content_length(scope)
        if declared == -1:
            return error_json(400, "bad_request", "Content-Length is not a number.")
        if declared is not None and declared > self.max_body_bytes:
            return error_json(413, "payload_too_large", too_large())
        if _CONTROL.search(scope.get("path", "")):
            return _control_character("path")
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
            if _CONTROL.search(name) or _CONTROL.search(value):
                return _control_character(name)
        return None

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body_bytes:
                # Raised inside the route's body read: FastAPI passes HTTPExceptions through,
                # and the API's handler gives it the error shape.
                raise HTTPException(413, too_large())
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    """The declared length, None if absent, -1 if it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


def _control_character(field: str) -> ASGIApp:
    shown = _CONTROL.sub("?", field)[:60]
    return error_json(
        422,
        "validation_failed",
        f"{shown}: must not contain control characters.",
        shown,
    )
