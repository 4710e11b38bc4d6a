"""The API and the Stripe emulator served together on loopback, as `shopora serve` mounts
them (/api and /stripe-emulator on one port), so the gateway's blocking HTTP calls, the
hosted payment page and the webhooks all cross a real socket."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import Mount

from shopora.api.deps import get_payment_gateway
from shopora.api.routes.webhooks import webhook_gateway
from shopora.config import EMULATOR_API_KEY, EMULATOR_WEBHOOK_SECRET
from shopora.payments.gateway import StripeGateway, build_gateway
from shopora.stripe_emulator import EmulatorConfig, create_app
from tests.api.factories_api import mounted

TEST_CARD = "4242 4242 4242 4242"


@dataclass
class LiveServer:
    url: str
    gateway: StripeGateway
    _server: uvicorn.Server
    _thread: threading.Thread
    _socket: socket.socket
    _app: Starlette

    @property
    def api(self) -> str:
        return f"{self.url}/api"

    def stop(self) -> None:
        emulator = self._app.routes[1].app.state.emulator  # type: ignore[attr-defined]
        emulator.stop()
        self._server.should_exit = True
        self._thread.join(10)
        emulator.close()
        self._socket.close()


def start_live_server(engine: Engine, state_path: Path) -> LiveServer:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    emulator = create_app(
        EmulatorConfig(
            state_path=state_path,
            public_url=f"{url}/stripe-emulator",
            webhook_url=f"{url}/api/webhooks/stripe",
            webhook_secret=EMULATOR_WEBHOOK_SECRET,
            api_key=EMULATOR_API_KEY,
            sweep_interval=0.2,
        )
    )
    gateway = build_gateway(EMULATOR_API_KEY, f"{url}/stripe-emulator")
    api, _ = mounted(engine)
    api.dependency_overrides[get_payment_gateway] = lambda: gateway
    api.dependency_overrides[webhook_gateway] = lambda: gateway
    app = Starlette(routes=[Mount("/api", app=api), Mount("/stripe-emulator", app=emulator)])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise AssertionError("the live server did not start")
        time.sleep(0.01)
    return LiveServer(url, gateway, server, thread, sock, app)


def pay_on_hosted_page(url: str, card: str = TEST_CARD) -> httpx.Response:
    """Open Stripe's hosted page and submit the card form as a customer would."""
    page = httpx.get(url)
    assert page.status_code == 200, page.text
    form = {
        "email": "ada@example.test",
        "cardNumber": card,
        "cardExpiry": "12 / 34",
        "cardCvc": "123",
        "billingName": "Ada Lovelace",
        "billingCountry": "GB",
        "billingPostalCode": "N1 9GU",
    }
    return httpx.post(url, data=form)
