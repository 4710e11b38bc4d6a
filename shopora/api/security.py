"""Bearer tokens (HS256 JWTs) and the per-client limit on sign-in attempts."""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from shopora.api.errors import RateLimited
from shopora.config import Settings
from shopora.errors import AuthenticationFailed

ALGORITHM = "HS256"
# A label of its own, so an API token can never be mistaken for a cookie signed with the same key.
_KEY_LABEL = b"shopora.api.bearer-token.v1"
INVALID_TOKEN = "Your token is missing, invalid or expired; get a new one at /auth/token."


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def _signing_key(settings: Settings) -> bytes:
    secret = settings.cookie_key.get_secret_value().encode()
    return hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest()


def issue_token(settings: Settings, user_id: int, *, now: datetime | None = None) -> IssuedToken:
    """A signed token naming the user, valid for `api_token_minutes`."""
    issued = now or datetime.now(UTC)
    lifetime = timedelta(minutes=settings.api_token_minutes)
    claims = {"sub": str(user_id), "iat": issued, "exp": issued + lifetime}
    token = jwt.encode(claims, _signing_key(settings), algorithm=ALGORITHM)
    return IssuedToken(access_token=token, expires_in=int(lifetime.total_seconds()))


def user_id_from_token(settings: Settings, token: str) -> int:
    """The user id a valid, unexpired token names; AuthenticationFailed otherwise."""
    try:
        claims = jwt.decode(
            token,
            _signing_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"]},
        )
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        raise AuthenticationFailed(INVALID_TOKEN) from None


class RateLimiter:
    """At most `limit` attempts per client in any `window` seconds (sliding window, in memory).

    Per process: behind several replicas each counts on its own, which still bounds guessing;
    the per-account lockout in the users service is the database-wide backstop.
    """

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one attempt by `client`, or raise RateLimited when it has used them all."""
        now = self._clock()
        with self._lock:
            self._forget_idle(now)
            attempts = self._attempts.setdefault(client, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                wait = max(1, math.ceil(attempts[0] + self.window - now))
                raise RateLimited(
                    f"Too many attempts from your address; try again in {wait} s.",
                    retry_after=wait,
                )
            attempts.append(now)

    def _forget_idle(self, now: float) -> None:
        # Keeps memory bounded by the clients seen in the last window.
        if len(self._attempts) < 1024:
            return
        idle = [
            key for key, seen in self._attempts.items() if not seen or seen[-1] <= now - self.window
        ]
        for key in idle:
            del self._attempts[key]
