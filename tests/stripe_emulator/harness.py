"""Real servers on loopback for the emulator tests: no mocks between SDK and emulator."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from shopora.stripe_emulator import EmulatorConfig, create_app
from shopora.stripe_emulator.emulator import Emulator
from tests.loopback import FakeClock as FakeClock
from tests.loopback import ServerThread, wait_until

# One client for every "browser" request the tests make: a new httpx client builds a TLS
# context (~40 ms of CPU), which adds up over a few hundred requests.
http = httpx.Client(timeout=10)

PREFIX = "/stripe-emulator"
SECRET = "whsec_test_secret"
API_KEY = "sk_test_123"


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class WebhookReceiver:
    """A tiny merchant: records webhook POSTs (failing the first `fail_first` with 500) and
    serves the success and cancel pages the hosted page redirects to."""

    fail_first: int = 0
    requests: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ServerThread | None = None

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            received = Received(await request.body(), dict(request.headers))
            with self._lock:
                self.requests.append(received)
                failing = len(self.requests) <= self.fail_first
            return PlainTextResponse("nope" if failing else "ok", 500 if failing else 200)

        async def landing(request: Request) -> Response:
            return PlainTextResponse(f"{request.url.path}?{request.url.query}")

        return Starlette(
            routes=[
                Route("/hook", hook, methods=["POST"]),
                Route("/success", landing),
                Route("/cancel", landing),
            ]
        )

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.fail_first = 0

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        return list(
            wait_until(lambda: len(self.received()) >= count and self.received(), timeout,
                       f"{count} webhook deliveries")
        )  # fmt: skip

    def events(self) -> list[stripe.Event]:
        return [stripe.Webhook.construct_event(r.body, r.headers["stripe-signature"], SECRET)
                for r in self.received()]  # fmt: skip


_BACKGROUND_STOPS: list[threading.Thread] = []


def join_background_stops() -> None:
    while _BACKGROUND_STOPS:
        _BACKGROUND_STOPS.pop().join(10)


@dataclass
class RunningEmulator:
    server: ServerThread
    config: EmulatorConfig
    clock: FakeClock
    stopped: bool = False

    @property
    def base_url(self) -> str:
        return self.server.url + PREFIX

    @property
    def emulator(self) -> Emulator:
        emulator: Emulator = self.server.app.routes[0].app.state.emulator
        return emulator

    def client(self, api_key: str = API_KEY) -> stripe.StripeClient:
        return stripe.StripeClient(
            api_key, base_addresses={"api": self.base_url}, max_network_retries=0
        )

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving. Without `wait`, uvicorn's ~0.2 s shutdown finishes in the
        background; the worker is always stopped before this returns."""
        if self.stopped:
            return
        self.stopped = True
        emulator = self.emulator
        emulator.stop()

        def finish() -> None:
            self.server.stop()
            emulator.close()

        if wait:
            finish()
        else:
            thread = threading.Thread(target=finish, daemon=True)
            thread.start()
            _BACKGROUND_STOPS.append(thread)


def start_emulator(
    state_path: Path,
    clock: FakeClock,
    webhook_url: str | Callable[[str], str] | None,
    extra_routes: list[BaseRoute] | None = None,
    *,
    secret: str = SECRET,
    port: int = 0,
    **options: Any,
) -> RunningEmulator:
    """The emulator mounted under /stripe-emulator, as the Shopora app mounts it.

    `webhook_url` may be a function of the server's own URL, for a receiver served by
    the same app (`extra_routes`)."""
    holder: dict[str, EmulatorConfig] = {}

    def factory(url: str) -> Starlette:
        config = EmulatorConfig(
            state_path=state_path,
            public_url=url + PREFIX,
            webhook_url=webhook_url(url) if callable(webhook_url) else webhook_url,
            webhook_secret=secret,
            clock=clock,
            **{"sweep_interval": 0.05, "retry_schedule": (5, 30), **options},
        )
        holder["config"] = config
        return Starlette(routes=[Mount(PREFIX, app=create_app(config)), *(extra_routes or [])])

    server = ServerThread(factory, port).start()
    return RunningEmulator(server, holder["config"], clock)


def card_form(number: str = "4242 4242 4242 4242", **fields: str) -> dict[str, str]:
    """The hosted page's form as a customer fills it in."""
    return {
        "email": "ada@example.com",
        "cardNumber": number,
        "cardExpiry": "12 / 34",
        "cardCvc": "123",
        "billingName": "Ada Lovelace",
        "billingCountry": "GB",
        "billingPostalCode": "EC1A 1BB",
        **fields,
    }


def pay(url: str, number: str = "4242 4242 4242 4242", **fields: str) -> httpx.Response:
    """Submit the hosted page's form without following the redirect."""
    return http.post(url, data=card_form(number, **fields))
