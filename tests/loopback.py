"""Real servers on loopback for the tests: uvicorn serving an app from a background thread.
Shared by tests/payments, tests/stripe_emulator and tests/ui (one copy, one behaviour)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Poll instead of sleeping a fixed time; fail with a message after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class ServerThread:
    """uvicorn serving an app from a background thread on 127.0.0.1 (a free port, or the
    given one, so a restarted server keeps its URLs)."""

    def __init__(self, app_factory: Callable[[str], Any], port: int = 0) -> None:
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on connections accepted
        # from a socket that says it is TCP, and without it every keep-alive request
        # waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app_factory(self.url)
        config = uvicorn.Config(self.app, log_config=None, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> ServerThread:
        self._thread.start()
        wait_until(lambda: self._server.started, timeout=10, what="uvicorn to start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()


class FakeClock:
    """Business time the tests move forward (starts at the real time); shared by an emulator
    and whatever reads its clock."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
