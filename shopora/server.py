"""One process, one port: Streamlit serves the UI, with the REST API mounted at /api and,
offline, the Stripe emulator at /stripe-emulator."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopora.config import ROOT, Settings, get_settings
from shopora.services.guest_carts import GUEST_CART_DAYS

log = logging.getLogger("shopora.server")

TEST_CARD = "4000 0566 5566 5556"


def route_every_url_through_home() -> None:
    """Streamlit treats a `pages/` folder as old-style multipage routing until some run of
    Home.py calls st.navigation: on a fresh server, a deep link (say the Stripe return to
    /payment_return) would run the page file without Home.py, with no navigation and no
    redirect after sign-in, until someone opened "/". Switch that relic off at start-up, as
    st.navigation itself does, so every URL goes through Home.py from the first request.
    Pages still check access themselves (defence in depth; their AppTests prove it)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def turn_nagle_off() -> None:
    """Set TCP_NODELAY on every connection the server accepts.

    Streamlit binds its listening socket itself, with protocol 0, and asyncio only turns
    Nagle's algorithm off for sockets whose protocol is IPPROTO_TCP: so a response written
    as headers then body held its body back until the client's delayed ACK (~40 ms) on a
    kept-alive connection, ten times the cost of a fresh one. Uvicorn's HTTP protocol is
    where an accepted connection first appears, before any byte is written."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    protocols: list[Any] = [H11Protocol]
    with contextlib.suppress(ImportError):  # httptools is optional
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        protocols.append(HttpToolsProtocol)
    for protocol in protocols:
        if not getattr(protocol, "_shopora_nodelay", False):
            protocol.connection_made = _nodelay_first(protocol.connection_made)
            protocol._shopora_nodelay = True


def _nodelay_first(connection_made: Any) -> Any:
    def with_nodelay(self: Any, transport: Any) -> None:
        set_nodelay(transport.get_extra_info("socket"))
        connection_made(self, transport)

    return with_nodelay


def set_nodelay(sock: Any) -> None:
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class GuestCookie:
    """Give each browser a random guest id on its first page load (an HttpOnly cookie set with
    the app's HTML), so the websocket that follows carries it and a guest's cart can be kept
    in the database across reloads. Streamlit itself cannot set a cookie from the server."""

    def __init__(self, app: ASGIApp, *, name: str, max_age_days: int, secure: bool) -> None:
        self.app, self.name, self.secure = app, name, secure
        self.max_age = max_age_days * 24 * 3600

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.name in Request(scope).cookies:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("set-cookie", self._cookie(secrets.token_urlsafe(32)))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, value: str) -> str:
        secure = "; Secure" if self.secure else ""
        return (
            f"{self.name}={value}; Path=/; Max-Age={self.max_age}; HttpOnly; SameSite=Lax{secure}"
        )


def build_middleware(settings: Settings) -> list[Middleware]:
    from shopora.api.envelope import ErrorEnvelope

    # Outermost: Streamlit's own middleware can answer /api requests before the API does.
    return [
        Middleware(ErrorEnvelope, prefix="/api"),
        Middleware(
            GuestCookie,
            name=settings.guest_cookie_name,
            max_age_days=GUEST_CART_DAYS,
            secure=settings.app_base_url.startswith("https://"),
        ),
    ]


def emulator_app(settings: Settings) -> Any:
    from shopora.stripe_emulator import EmulatorConfig, create_app

    return create_app(
        EmulatorConfig(
            state_path=Path(settings.stripe_emulator_state),
            public_url=settings.emulator_url,
            webhook_url=settings.webhook_url,
            webhook_secret=settings.webhook_secret(),
            api_key=settings.stripe_api_key(),
        )
    )


def build_routes(settings: Settings) -> list[BaseRoute]:
    from shopora.api.app import create_api

    routes: list[BaseRoute] = [Mount("/api", app=create_api())]
    if settings.mounts_emulator:
        routes.append(Mount("/stripe-emulator", app=emulator_app(settings)))
    return routes


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Background work that belongs to the server's life: the reconciliation pass."""
    from shopora.payments.reconcile import start_reconciler

    settings = get_settings()
    start_reconciler(settings.reconcile_interval_seconds)
    yield


def listening(settings: Settings, port: int) -> str:
    where = f"{settings.host}:{port}"
    if settings.listens_beyond_loopback:
        return f"  Listening on {where}: reachable from other machines on your network"
    return f"  Listening on {where}: this machine only (HOST=0.0.0.0 to share it)"


def banner(settings: Settings, port: int) -> str:
    lines = [
        "",
        "  Shopora is starting.",
        listening(settings, port),
        f"  Open {settings.app_base_url}",
        f"  API reference: {settings.app_base_url}/api/docs",
    ]
    if settings.stripe_mode == "emulator" and settings.stripe_api_base:
        lines.append(f"  Stripe: the emulator running on its own at {settings.emulator_url}")
    elif settings.stripe_mode == "emulator":
        lines.append(f"  Stripe: local emulator at {settings.emulator_url} (no real money)")
    else:
        lines.append("  Stripe: test mode with your sk_test_ key")
    if settings.demo_mode:
        lines += [
            "  Demo logins: customer / customer123 · operator / operator123 · analyst / analyst123",
            f"  Test card: {TEST_CARD} · any future expiry (12/34) · any CVC · any postal code",
        ]
    return "\n".join(lines) + "\n"


def refuse_unsafe_exposure(settings: Settings) -> None:
    """Exit with what to set if the server would offer demo secrets beyond this machine."""
    from shopora.db import session_scope
    from shopora.exposure import exposure_problems, refusal

    with session_scope() as session:
        problems = exposure_problems(settings, session)
    if problems:
        sys.exit(refusal(settings, problems))


def serve(*, port: int, host: str | None = None) -> None:
    """Replace this process with the Streamlit server (so Ctrl+C stops everything at once)."""
    if host is not None:
        os.environ["HOST"] = host
    if "APP_BASE_URL" not in os.environ:
        os.environ["APP_BASE_URL"] = f"http://localhost:{port}"
    get_settings.cache_clear()
    settings = get_settings()
    refuse_unsafe_exposure(settings)
    print(banner(settings, port), flush=True)
    streamlit = str(Path(sys.executable).with_name("streamlit"))
    args = [
        streamlit,
        "run",
        str(ROOT / "serve.py"),
        "--server.address",
        settings.host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    os.chdir(ROOT)
    os.execv(streamlit, args)
