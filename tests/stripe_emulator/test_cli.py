"""`python -m shopora.stripe_emulator` serves the emulator standalone."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import stripe

from .harness import http, wait_until

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        return http.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.timeout(60)
def test_the_module_runs_the_emulator_with_uvicorn(tmp_path: Path) -> None:
    port = _free_port()
    state = tmp_path / "var" / "stripe-emulator.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "shopora.stripe_emulator", "--port", str(port),
         "--state", str(state), "--webhook-url", "http://127.0.0.1:9/none"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(base + "/"), timeout=20, what="the emulator to serve")
        client = stripe.StripeClient(
            "sk_test_cli", base_addresses={"api": base}, max_network_retries=0
        )
        coupon = client.v1.coupons.create({"percent_off": 20})
        assert client.v1.coupons.retrieve(coupon.id).percent_off == 20
        assert state.exists()
    finally:
        process.terminate()
        process.wait(10)
