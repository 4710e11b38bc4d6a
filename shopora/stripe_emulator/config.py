"""Settings of one emulator instance."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class EmulatorConfig:
    state_path: Path
    """SQLite file holding all state; parent directories are created."""
    public_url: str
    """Where a browser reaches this app, without trailing slash; session urls start with it."""
    webhook_url: str | None = None
    """Where events are POSTed; None records events and delivers nothing."""
    webhook_secret: str = "whsec_emulator"
    api_key: str | None = None
    """If set, the only accepted key; otherwise any sk_test_ key is accepted."""
    retry_schedule: tuple[float, ...] = (5, 30, 120, 600, 3600)
    """Seconds to wait before each retry after a failed delivery; then the event is dropped."""
    sweep_interval: float = 5.0
    """Seconds between background sweeps (expiring sessions, delivering due webhooks)."""
    clock: Callable[[], float] = time.time
    """Business time (created, expires_at, retry due times); injectable for tests."""
