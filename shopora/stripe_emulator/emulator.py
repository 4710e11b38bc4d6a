"""The background worker: expires sessions and delivers due webhooks, in its own thread.

A thread rather than ASGI lifespan, because a mounted sub-app never sees lifespan
events; and deliveries never run inside a request, because the webhook receiver may be
served by the very process (and event loop) that is handling that request.
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
from dataclasses import dataclass

import httpx

from .config import EmulatorConfig
from .core import Core
from .idempotency import purge_expired
from .sessions import expire_due_sessions
from .webhooks import DELIVERY_TIMEOUT, deliver_due

log = logging.getLogger(__name__)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Building one costs ~40 ms of CPU; every emulator in the process can share it.
    return httpx.create_ssl_context()


@dataclass(frozen=True)
class SweepReport:
    expired_sessions: int
    delivery_attempts: int


class Emulator:
    """Owns the state and the worker; `app.state.emulator` is one of these."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._sweep_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._auto_started = False
        self._client: httpx.Client | None = None
        self.core = Core(config, on_event=self._wake.set)

    def start(self) -> None:
        """Start the worker thread (no-op if it is running)."""
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name="stripe-emulator-worker", daemon=True
            )
            self._thread.start()

    def start_on_first_request(self) -> None:
        # Only the first request starts the worker, so a test that called stop() keeps
        # full control through run_due_work().
        if not self._auto_started:
            self._auto_started = True
            self.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the worker and wait for the sweep in progress to finish."""
        self._auto_started = True
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    def close(self) -> None:
        """Stop, then release the HTTP client and the database."""
        self.stop()
        if self._client is not None:
            self._client.close()
        self.core.store.close()

    def run_due_work(self) -> SweepReport:
        """One sweep, synchronously: expire due sessions, attempt due deliveries."""
        with self._sweep_lock:
            expired = expire_due_sessions(self.core)
            attempts = deliver_due(self.core, self._http)
            purge_expired(self.core)
        return SweepReport(expired, attempts)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=DELIVERY_TIMEOUT, verify=_tls_context())
        return self._client

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_due_work()
            except Exception:  # the worker must outlive any one bad sweep; log and go on
                log.exception("Stripe emulator sweep failed")
            self._wake.wait(self.config.sweep_interval)
