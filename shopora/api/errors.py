"""Every failure leaves the API as `{"error": {"code", "message", "field"}}`.

Domain errors know what went wrong, not how HTTP says it: `STATUS_OF` below is the one table
from their kinds to statuses, and their stable `code` is sent as it is. FastAPI's validation
errors become 422 `validation_failed` naming the first bad field; anything unexpected is
logged and answered with a 500 that reveals nothing.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopora.db import is_busy
from shopora.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    NotFound,
    PaymentError,
    ShoporaError,
    TooManyAttempts,
    ValidationFailed,
)
from shopora.payments.errors import InvalidWebhook

log = logging.getLogger("shopora.api")

# Codes for failures that never reach a service (routing, auth headers, body parsing).
HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_attempts",
}
# Seconds a client should wait after a 503 "busy": a pooled connection or SQLite's write
# lock frees up within milliseconds once the burst that took them passes.
BUSY_RETRY_AFTER = 1


# Each domain error kind's status; the most specific class in an error's ancestry wins.
STATUS_OF: dict[type[ShoporaError], int] = {
    ShoporaError: 400,
    InvalidWebhook: 400,  # Stripe's rule: a bad signature or body is a plain 400
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    AuthenticationFailed: 401,
    Forbidden: 403,
    TooManyAttempts: 429,
    PaymentError: 502,  # Stripe failed or was unreachable: a gateway error, retry later
}


def status_of(error: ShoporaError) -> int:
    """The HTTP status for a domain error, from `STATUS_OF`."""
    kind = next(k for k in type(error).__mro__ if k in STATUS_OF)
    return STATUS_OF[kind]


def domain_error_json(error: ShoporaError) -> JSONResponse:
    """A domain error as the API answers it (status from `STATUS_OF`, the error's code)."""
    status = status_of(error)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    return error_json(status, error.code, error.message, error.field, headers)


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable code.", examples=["out_of_stock"])
    message: str = Field(description="For people.", examples=["Only 2 of Desk lamp left."])
    field: str | None = Field(
        default=None, description="The input field at fault, if any.", examples=["quantity"]
    )


class ErrorResponse(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"error": {"code": "not_found", "message": "We couldn't find that order."}}
            ]
        }
    }

    error: ErrorBody


class RateLimited(TooManyAttempts):
    """Too many requests from one client; `retry_after` seconds until the next is allowed."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring the error shape for these statuses."""
    return {
        status: {"model": ErrorResponse, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def error_json(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _shopora_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ShoporaError)
    return domain_error_json(exc)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if not problems:
        return error_json(422, "validation_failed", "The request is not valid.")
    first = problems[0]
    # loc is ("body" | "query" | "path" | "header", name, ...); the name is what a client sent.
    location = [str(part) for part in first.get("loc", ())]
    field = ".".join(location[1:]) or None
    message = str(first.get("msg", "Invalid value."))
    where = f"{field}: " if field else ""
    return error_json(422, "validation_failed", f"{where}{message}", field)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
    return error_json(exc.status_code, code, message, headers=dict(exc.headers or {}))


def _busy(request: Request, exc: Exception) -> JSONResponse:
    """No database connection (pool exhausted) or write lock within the timeout: fail fast
    with 503 so the client retries, instead of queueing the request into a hang."""
    if not is_busy(exc):
        return _unexpected(request, exc)
    log.warning("Busy on %s %s: %s", request.method, request.url.path, exc)
    message = "The shop is busy right now; please try again in a moment."
    headers = {"Retry-After": str(BUSY_RETRY_AFTER)}
    return error_json(503, "busy", message, headers=headers)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_json(500, "internal_error", "Something went wrong on our side; try again.")


def install(app: FastAPI) -> None:
    """Register the handlers that give every failure the same JSON shape."""
    app.add_exception_handler(ShoporaError, _shopora_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)
