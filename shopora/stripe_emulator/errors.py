"""Stripe-shaped API errors: the SDK picks its exception class from status and `type`."""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """An error answered as `{"error": {...}}` with Stripe's status code."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        for key in ("code", "param", "decline_code"):
            value = getattr(self, key)
            if value is not None:
                error[key] = value
        return {"error": error}


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(message, param=param, code=code)


def missing(param: str) -> StripeError:
    return invalid(f"Missing required param: {param}.", param, "parameter_missing")


def unknown(param: str) -> StripeError:
    return invalid(f"Received unknown parameter: {param}", param, "parameter_unknown")


def no_such(kind: str, object_id: str, param: str, status: int = 404) -> StripeError:
    # Stripe answers 404 for the object named in the URL, 400 for one referenced by a parameter.
    return StripeError(
        f"No such {kind}: '{object_id}'", status=status, code="resource_missing", param=param
    )


def unsupported(param: str, what: str) -> StripeError:
    return invalid(f"The Stripe emulator does not support {what}.", param)


def idempotency(message: str) -> StripeError:
    return StripeError(message, type="idempotency_error")


def authentication(message: str) -> StripeError:
    # Stripe reports a bad key as invalid_request_error with status 401.
    return StripeError(message, status=401)
