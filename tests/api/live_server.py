"""The API and the Stripe emulator served together on loopback, as `shopora serve` mounts
them (/api and /stripe-emulator on one port), so the gateway's blocking HTTP calls, the
hosted payment page and the webhooks all cross a real socket."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class Served:
    """uvicorn serving an ASGI app from a background thread on a free loopback port."""

    def __init__(self, app_factory: Callable[[str], Any]) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.app = app_factory(self.url)
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()


@dataclass
class LiveServer:
    """The API at /api and the Stripe emulator at /stripe-emulator, on one port."""

    served: Served
    gateway: StripeGateway

    @property
    def api(self) -> str:
        return f"{self.served.url}/api"

    def stop(self) -> None:
        emulator = self.served.app.routes[1].app.state.emulator
        emulator.stop()
        self.served.stop()
        emulator.close()


def start_live_server(engine: Engine, state_path: Path) -> LiveServer:
    gateways: list[StripeGateway] = []

    def app(url: str) -> Starlette:
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
        gateways.append(gateway)
        api, _ = mounted(engine)
        api.dependency_overrides[get_payment_gateway] = lambda: gateway
        api.dependency_overrides[webhook_gateway] = lambda: gateway
        return Starlette(routes=[Mount("/api", app=api), Mount("/stripe-emulator", app=emulator)])

    served = Served(app)
    return LiveServer(served, gateways[0])


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
