"""Servers as separate processes, the way they run for real: a Stripe emulator started on its
own (`python -m shopora.stripe_emulator`) and app servers started by `shopora.cli serve`.

Used by the tests that must cross process boundaries (replicas sharing one database)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shopora.config import EMULATOR_API_KEY, ROOT

API_KEY = EMULATOR_API_KEY  # what the app uses when no STRIPE_SECRET_KEY is set
WEBHOOK_SECRET = "whsec_replicas_shared_secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Process:
    """A child process with its output kept in a file (shown if it fails to start)."""

    name: str
    url: str
    popen: subprocess.Popen[bytes]
    log: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def wait_ready(self, probe: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}{probe}", timeout=2).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"{self.name} did not start:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)


def _spawn(name: str, command: list[str], env: dict[str, str], url: str, workdir: Path) -> Process:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    return Process(name, url, popen, log)


def start_emulator(workdir: Path) -> Process:
    """The emulator on its own, recording events without delivering them (the tests deliver
    each event themselves, to whichever replicas they choose)."""
    port = free_port()
    command = [
        sys.executable, "-m", "shopora.stripe_emulator", "--port", str(port),
        "--state", str(workdir / "emulator.sqlite3"), "--api-key", API_KEY,
        "--webhook-secret", WEBHOOK_SECRET,
    ]  # fmt: skip
    emulator = _spawn("emulator", command, dict(os.environ), f"http://127.0.0.1:{port}", workdir)
    emulator.wait_ready("/")
    return emulator


def start_app(name: str, database_url: str, emulator: Process, workdir: Path) -> Process:
    """One app server (UI + API) as `make run` starts it, on its own port."""
    port = free_port()
    home = Path(tempfile.mkdtemp(prefix=f"{name}-home-", dir=workdir))
    env = {
        **os.environ,
        "HOME": str(home),  # Streamlit writes its machine id and credentials here
        "DATABASE_URL": database_url,
        "STRIPE_API_BASE": emulator.url,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "APP_BASE_URL": f"http://127.0.0.1:{port}",
        "HOST": "127.0.0.1",
        "RECONCILE_INTERVAL_SECONDS": "3600",
    }
    command = [sys.executable, "-m", "shopora.cli", "serve", "--port", str(port)]
    app = _spawn(name, command, env, f"http://127.0.0.1:{port}", workdir)
    app.wait_ready("/api/health")
    return app


def signed_delivery(event: dict[str, Any], secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """An event's body and its Stripe-Signature header, as Stripe would send them now."""
    body = json.dumps(event).encode()
    timestamp = int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return body, f"t={timestamp},v1={mac.hexdigest()}"
