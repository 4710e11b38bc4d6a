"""Domain errors. Each has a stable `code` that pages show and the API returns."""

from __future__ import annotations


class ShoporaError(Exception):
    """Base of every expected failure; `code` is stable, `message` is for people."""

    code = "shopora_error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(ShoporaError):
    code = "validation_failed"
    status = 422


class NotFound(ShoporaError):
    code = "not_found"
    status = 404


class Forbidden(ShoporaError):
    code = "forbidden"
    status = 403


class AuthenticationFailed(ShoporaError):
    code = "authentication_failed"
    status = 401


class TooManyAttempts(ShoporaError):
    code = "too_many_attempts"
    status = 429


class AlreadyExists(ShoporaError):
    code = "already_exists"
    status = 409


class OutOfStock(ShoporaError):
    code = "out_of_stock"
    status = 409


class ProductUnavailable(ShoporaError):
    code = "product_unavailable"
    status = 409


class EmptyCart(ShoporaError):
    code = "empty_cart"
    status = 409


class InvalidDiscountCode(ShoporaError):
    """A code that cannot be applied; `reason` says which rule refused it."""

    code = "invalid_discount_code"
    status = 422

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="discount_code")
        self.reason = reason


class BelowMinimumCharge(ShoporaError):
    code = "below_minimum_charge"
    status = 422


class IllegalTransition(ShoporaError):
    code = "illegal_transition"
    status = 409


class PaymentError(ShoporaError):
    code = "payment_error"
    status = 502


class PaymentNotCompleted(ShoporaError):
    code = "payment_not_completed"
    status = 409


class PaymentMismatch(ShoporaError):
    code = "payment_mismatch"
    status = 409


class RefundRefused(ShoporaError):
    code = "refund_refused"
    status = 409
