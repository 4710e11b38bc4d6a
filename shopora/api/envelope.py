"""The error shape for answers the API itself never wrote.

Mounted inside Streamlit's server, a request for /api passes Streamlit's own middleware
first: its path-security check answers `400 text/plain "Bad Request"` to a path it dislikes
(a NUL, `..`, a doubled slash...) before the API sees it. This middleware, outermost, gives
any such non-JSON error under /api the documented `{"error": {...}}` shape.
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopora.api.errors import HTTP_CODES, error_json

# Headers of the original answer that still mean something on the JSON one.
_KEPT = ("allow", "retry-after", "www-authenticate")


class ErrorEnvelope:
    def __init__(self, app: ASGIApp, *, prefix: str = "/api") -> None:
        self.app, self.prefix = app, prefix.rstrip("/")

    def _covers(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        return scope["type"] == "http" and (
            path == self.prefix or path.startswith(f"{self.prefix}/")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._covers(scope):
            await self.app(scope, receive, send)
            return
        replaced: Message | None = None

        async def shaped(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and _needs_shape(message):
                replaced = message
                return
            if replaced is None:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await _json_error(replaced)(scope, receive, send)

        await self.app(scope, receive, shaped)


def _needs_shape(start: Message) -> bool:
    content_type = Headers(raw=start.get("headers", [])).get("content-type", "")
    return int(start["status"]) >= 400 and not content_type.startswith("application/json")


def _json_error(start: Message) -> ASGIApp:
    status = int(start["status"])
    original = Headers(raw=start.get("headers", []))
    headers = {name: original[name] for name in _KEPT if name in original}
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return error_json(status, HTTP_CODES.get(status, "error"), f"{phrase}.", headers=headers)
