"""What every use case needs: settings, state, business time and event emission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import ids
from .config import EmulatorConfig
from .store import Store

# The API version stamped on events when no request told us which one the client speaks
# (the stripe-python 16.x SDK pins this one).
DEFAULT_API_VERSION = "2026-10-28.endive"


@dataclass(frozen=True)
class RequestInfo:
    """The API request behind a change; events carry it as `request`."""

    id: str | None = None
    idempotency_key: str | None = None
    api_version: str = DEFAULT_API_VERSION


class Core:
    def __init__(self, config: EmulatorConfig, on_event: Callable[[], None] = lambda: None):
        self.config = config
        self.store = Store(config.state_path)
        self._on_event = on_event

    def now(self) -> int:
        return int(self.config.clock())

    def emit(self, event_type: str, obj: dict[str, Any], request: RequestInfo) -> dict[str, Any]:
        """Record an event and queue its webhook in the caller's transaction."""
        deliver = self.config.webhook_url is not None
        event = {
            "id": ids.new_id("evt_"),
            "object": "event",
            "api_version": request.api_version,
            "created": self.now(),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1 if deliver else 0,
            "request": {"id": request.id, "idempotency_key": request.idempotency_key},
            "type": event_type,
        }
        with self.store.atomic():
            self.store.insert("event", event)
            if deliver:
                self.store.execute(
                    "INSERT INTO deliveries (event_id, state, next_attempt_at) "
                    "VALUES (?, 'pending', ?)",
                    (event["id"], self.config.clock()),
                )
        self._on_event()
        return event
