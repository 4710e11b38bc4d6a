"""The /v1 HTTP surface: auth, parsing, idempotency and Stripe-shaped JSON answers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import ids
from .auth import auth_failure_headers, authenticate
from .core import DEFAULT_API_VERSION, Core, RequestInfo
from .errors import StripeError, invalid
from .handlers import ROUTES, ApiCall, Handler
from .idempotency import Reply, check_key, run_once
from .params import Params, parse_form

_ALL_METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH"]


def api_routes(core: Core) -> list[BaseRoute]:
    by_path: dict[str, dict[str, Handler]] = defaultdict(dict)
    for method, path, handler in ROUTES:
        by_path[path][method] = handler
    routes: list[BaseRoute] = [
        Route(path, _endpoint(core, handlers), methods=list(handlers))
        for path, handlers in by_path.items()
    ]
    # Matched last: a known path with another method, or an unknown path, gets Stripe's 404.
    routes.append(Route("/v1/{rest:path}", _unrecognized, methods=_ALL_METHODS))
    return routes


def _endpoint(core: Core, handlers: dict[str, Handler]) -> Any:
    async def endpoint(request: Request) -> Response:
        request_id = ids.request_id()
        info = RequestInfo(
            id=request_id,
            idempotency_key=request.headers.get("idempotency-key") or None,
            api_version=request.headers.get("stripe-version") or DEFAULT_API_VERSION,
        )
        try:
            scope = authenticate(request.headers.get("authorization"), core.config)
            raw = await _raw_params(request)
            handler = handlers[request.method]
            reply = await run_in_threadpool(_handle, core, handler, request, raw, info, scope)
        except StripeError as error:
            return _json(error.body(), error.status, info, auth_failure_headers(error))
        extra = {"Idempotent-Replayed": "true"} if reply.replayed else {}
        return _json(reply.body, reply.status, info, extra)

    return endpoint


async def _raw_params(request: Request) -> str:
    if request.method == "POST":
        return (await request.body()).decode("utf-8", errors="replace")
    return request.url.query


def _handle(
    core: Core, handler: Handler, request: Request, raw: str, info: RequestInfo, scope: str
) -> Reply:
    data = parse_form(raw)
    call = ApiCall(Params(data), dict(request.path_params), info)
    if request.method != "POST" or info.idempotency_key is None:
        with core.store.atomic():
            return Reply(200, handler(core, call))
    check_key(info.idempotency_key)
    return run_once(
        core,
        scope=scope,
        key=info.idempotency_key,
        endpoint=_route_path(request),
        params=data,
        action=lambda: handler(core, call),
    )


def _route_path(request: Request) -> str:
    """The path inside this app, so a key's endpoint is the same however it is mounted."""
    path, root = request.url.path, request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _json(
    body: dict[str, Any], status: int, info: RequestInfo, headers: dict[str, str]
) -> JSONResponse:
    headers = {"Request-Id": str(info.id), "Stripe-Version": info.api_version, **headers}
    if info.idempotency_key:
        headers["Idempotency-Key"] = info.idempotency_key
    return JSONResponse(body, status_code=status, headers=headers)


async def _unrecognized(request: Request) -> Response:
    error = invalid(
        f"Unrecognized request URL ({request.method}: {_route_path(request)}). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/."
    )
    error.status = 404
    return JSONResponse(error.body(), status_code=404)
