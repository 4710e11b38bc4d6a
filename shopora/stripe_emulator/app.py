"""The emulator as one Starlette app, mountable under any prefix."""

from __future__ import annotations

from dataclasses import replace

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from .api import api_routes
from .checkout_page import checkout_routes
from .config import EmulatorConfig
from .emulator import Emulator
from .ops_pages import ops_routes

__all__ = ["EmulatorConfig", "create_app"]


class _StartWorker:
    """Starts the background worker on the first HTTP request (lifespan never reaches a
    mounted sub-app)."""

    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.emulator.start_on_first_request()
        await self.app(scope, receive, send)


def create_app(config: EmulatorConfig) -> Starlette:
    """A Starlette app serving the emulated API, the hosted page and the operator pages."""
    emulator = Emulator(replace(config, public_url=config.public_url.rstrip("/")))
    core = emulator.core
    app = Starlette(routes=[*api_routes(core), *checkout_routes(core), *ops_routes(core)])
    app.add_middleware(_StartWorker, emulator=emulator)
    app.state.emulator = emulator
    return app
