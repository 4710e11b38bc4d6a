"""Domain errors. Each has a stable `code` that pages show and the API returns.

They say *what* went wrong, never how a transport reports it: each error belongs to one kind
(invalid input, not found, conflict with the current state, not signed in, not allowed,
too many attempts, an outside service failing). The API maps kinds to HTTP statuses in one
table (`shopora.api.errors`); pages show the message.
"""

from __future__ import annotations


class ShoporaError(Exception):
    """Base of every expected failure; `code` is stable, `message` is for people."""

    code = "shopora_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# The kinds. A new error subclasses one of them (or a more specific error).


class ValidationFailed(ShoporaError):
    """The input breaks a rule, whatever the state of the shop."""

    code = "validation_failed"


class NotFound(ShoporaError):
    """Nothing by that id, or nothing the caller may see."""

    code = "not_found"


class Conflict(ShoporaError):
    """The input is fine but the current state refuses it (sold out, already paid...)."""

    code = "conflict"


class AuthenticationFailed(ShoporaError):
    """The caller is not (or no longer) signed in."""

    code = "authentication_failed"


class Forbidden(ShoporaError):
    """The caller is signed in but may not do this."""

    code = "forbidden"


class TooManyAttempts(ShoporaError):
    """The caller must wait before trying again."""

    code = "too_many_attempts"


class PaymentError(ShoporaError):
    """Stripe failed or could not be reached: not the caller's fault, worth retrying."""

    code = "payment_error"


# Specific errors, by kind.


class AlreadyExists(Conflict):
    code = "already_exists"


class OutOfStock(Conflict):
    code = "out_of_stock"


class ProductUnavailable(Conflict):
    code = "product_unavailable"


class EmptyCart(Conflict):
    code = "empty_cart"


class InvalidDiscountCode(ValidationFailed):
    """A code that cannot be applied; `reason` says which rule refused it."""

    code = "invalid_discount_code"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="discount_code")
        self.reason = reason


class BelowMinimumCharge(ValidationFailed):
    code = "below_minimum_charge"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class PaymentNotCompleted(Conflict):
    code = "payment_not_completed"


class PaymentMismatch(Conflict):
    code = "payment_mismatch"


class RefundRefused(Conflict):
    code = "refund_refused"
