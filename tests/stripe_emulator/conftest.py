"""Fixtures: a webhook receiver and the emulator, both real servers on loopback."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from .harness import (
    FakeClock,
    RunningEmulator,
    ServerThread,
    WebhookReceiver,
    join_background_stops,
    start_emulator,
)

SHM = Path("/dev/shm")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def shared_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver.server = ServerThread(lambda _url: receiver.app()).start()
    yield receiver
    receiver.server.stop()


@pytest.fixture
def receiver(shared_receiver: WebhookReceiver) -> WebhookReceiver:
    """One receiver server for the run (servers take ~0.2 s to stop), reset per test."""
    shared_receiver.reset()
    return shared_receiver


@pytest.fixture(scope="session")
def state_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the tests' SQLite files live: tmpfs when there is one, because creating a
    database costs a few fsyncs (~40 ms on disk, ~2 ms on tmpfs) and every test makes one."""
    if not SHM.is_dir():
        yield tmp_path_factory.mktemp("state")
        return
    root = Path(tempfile.mkdtemp(prefix="stripe-emulator-tests-", dir=SHM))
    yield root
    join_background_stops()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def state_dir(state_root: Path, request: pytest.FixtureRequest) -> Path:
    path = state_root / f"{len(list(state_root.iterdir()))}-{request.node.name[:40]}"
    path.mkdir()
    return path


@pytest.fixture
def state_path(state_dir: Path) -> Path:
    return state_dir / "state" / "stripe-emulator.sqlite3"


@pytest.fixture
def running(
    state_path: Path, clock: FakeClock, receiver: WebhookReceiver
) -> Iterator[RunningEmulator]:
    running = start_emulator(state_path, clock, f"{receiver.url}/hook")
    yield running
    running.stop(wait=False)


@pytest.fixture
def client(running: RunningEmulator) -> stripe.StripeClient:
    return running.client()


@pytest.fixture
def session_params(receiver: WebhookReceiver) -> dict[str, Any]:
    """What Shopora's gateway sends: two items, metadata, order reference, 30 min expiry."""
    return {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 1500,
                    "product_data": {"name": "Mechanical keyboard", "description": "Brown"},
                },
                "quantity": 2,
            },
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 999,
                    "product_data": {"name": "Desk mat"},
                },
                "quantity": 1,
            },
        ],
        "success_url": f"{receiver.url}/success?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"{receiver.url}/cancel",
        "customer_email": "ada@example.com",
        "client_reference_id": "42",
        "metadata": {"order_id": "42"},
    }
