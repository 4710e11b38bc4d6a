"""Domain errors say what went wrong; the API alone turns that into an HTTP status."""

from __future__ import annotations

import pytest

from shopora import errors
from shopora.api.errors import STATUS_OF, status_of
from shopora.errors import ShoporaError
from shopora.payments.errors import InvalidWebhook


def every_error() -> list[type[ShoporaError]]:
    found: list[type[ShoporaError]] = []
    todo = [ShoporaError]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo += kind.__subclasses__()
    return found


def test_no_domain_error_knows_an_http_status() -> None:
    assert [e.__name__ for e in every_error() if hasattr(e, "status")] == []


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.ValidationFailed, 422),
        (errors.InvalidDiscountCode, 422),
        (errors.BelowMinimumCharge, 422),
        (errors.NotFound, 404),
        (errors.AuthenticationFailed, 401),
        (errors.Forbidden, 403),
        (errors.TooManyAttempts, 429),
        (errors.AlreadyExists, 409),
        (errors.OutOfStock, 409),
        (errors.ProductUnavailable, 409),
        (errors.EmptyCart, 409),
        (errors.IllegalTransition, 409),
        (errors.PaymentNotCompleted, 409),
        (errors.PaymentMismatch, 409),
        (errors.RefundRefused, 409),
        (errors.PaymentError, 502),
        (InvalidWebhook, 400),
        (ShoporaError, 400),
    ],
)
def test_each_kind_of_error_has_its_status_in_the_one_table(
    error: type[ShoporaError], status: int
) -> None:
    made = (
        errors.InvalidDiscountCode("no", reason="x")
        if error is errors.InvalidDiscountCode
        else error("no")
    )

    assert status_of(made) == status


def test_every_error_has_a_stable_code_and_a_status() -> None:
    for error in every_error():
        assert error.code and error.code.islower(), error
        assert any(kind in STATUS_OF for kind in error.__mro__), error
