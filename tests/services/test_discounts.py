"""Discount codes: which code applies, and the distinct reason each refusal gives."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from shopora.errors import InvalidDiscountCode
from shopora.models import DiscountCode, DiscountKind, DiscountRedemption, Order, User
from shopora.models.base import utcnow
from shopora.services.discounts import check_code, rule_of
from shopora.services.pricing import DiscountRule
from tests.factories import make_user

_numbers = itertools.count(1)


def make_code(session: Session, **overrides: Any) -> DiscountCode:
    values: dict[str, Any] = {"code": "WELCOME10", "kind": DiscountKind.PERCENT, "value": 10}
    values.update(overrides)
    code = DiscountCode(**values)
    session.add(code)
    session.commit()
    return code


def given_redemption(session: Session, code: DiscountCode, user: User) -> DiscountRedemption:
    """A paid order of `user` that used `code`."""
    order = Order(
        number=f"SO-T{next(_numbers)}",
        user_id=user.id or 0,
        status="paid",
        payment_status="paid",
        email=user.email,
        subtotal_cents=2000,
        discount_cents=200,
        total_cents=1800,
        shipping_name=user.name,
        shipping_line1="1 Main St",
        shipping_city="Springfield",
        shipping_postal_code="12345",
        shipping_country="US",
        discount_code=code.code,
    )
    session.add(order)
    session.flush()
    redemption = DiscountRedemption(
        discount_code_id=code.id or 0,
        order_id=order.id or 0,
        user_id=user.id or 0,
        once_key=user.id if code.once_per_customer else None,
        amount_cents=200,
    )
    session.add(redemption)
    session.commit()
    return redemption


def refusal_reason(
    session: Session, code: str, *, user_id: int | None = None, sub: int = 5000
) -> str:
    with pytest.raises(InvalidDiscountCode) as refused:
        check_code(session, code, user_id=user_id, subtotal_cents=sub)
    assert refused.value.field == "discount_code"
    return refused.value.reason


# --- a code that applies -----------------------------------------------------------------


def test_a_valid_code_is_returned(session: Session) -> None:
    # given
    created = make_code(session, code="WELCOME10")

    # when
    found = check_code(session, "WELCOME10", user_id=None, subtotal_cents=5000)

    # then
    assert found.id == created.id
    assert rule_of(found) == DiscountRule(DiscountKind.PERCENT, 10)


@pytest.mark.parametrize("typed", ["welcome10", "  Welcome10  ", "\tWELCOME10\n"])
def test_codes_are_found_whatever_the_case_and_surrounding_spaces(
    session: Session, typed: str
) -> None:
    created = make_code(session, code="WELCOME10")

    found = check_code(session, typed, user_id=None, subtotal_cents=5000)

    assert found.id == created.id


def test_a_code_inside_its_window_applies(session: Session) -> None:
    now = utcnow()
    make_code(session, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1))

    assert check_code(session, "WELCOME10", user_id=None, subtotal_cents=5000).code == "WELCOME10"


def test_a_subtotal_exactly_at_the_minimum_qualifies(session: Session) -> None:
    make_code(
        session, code="SAVE15", kind=DiscountKind.FIXED, value=1500, min_subtotal_cents=10_000
    )

    assert check_code(session, "SAVE15", user_id=None, subtotal_cents=10_000).code == "SAVE15"


def test_a_once_per_customer_code_applies_to_a_customer_who_has_not_used_it(
    session: Session,
) -> None:
    # given another customer has used it
    code = make_code(session, once_per_customer=True)
    given_redemption(session, code, make_user(session))
    newcomer = make_user(session)

    # then
    assert check_code(session, "WELCOME10", user_id=newcomer.id, subtotal_cents=5000).id == code.id


def test_a_code_with_redemptions_left_applies(session: Session) -> None:
    make_code(session, max_redemptions=3, redemption_count=2)

    assert check_code(session, "WELCOME10", user_id=None, subtotal_cents=5000).code == "WELCOME10"


# --- refusals, each with its reason ------------------------------------------------------


@pytest.mark.parametrize("typed", ["NOPE", "", "   "])
def test_an_unknown_code_is_refused_as_unknown(session: Session, typed: str) -> None:
    make_code(session)

    assert refusal_reason(session, typed) == "unknown"


def test_an_inactive_code_is_refused_as_inactive(session: Session) -> None:
    make_code(session, active=False)

    assert refusal_reason(session, "WELCOME10") == "inactive"


def test_a_code_before_its_start_is_refused_as_not_started(session: Session) -> None:
    make_code(session, starts_at=utcnow() + timedelta(days=2))

    assert refusal_reason(session, "WELCOME10") == "not_started"


def test_a_code_past_its_end_is_refused_as_expired(session: Session) -> None:
    make_code(session, ends_at=utcnow() - timedelta(seconds=1))

    assert refusal_reason(session, "WELCOME10") == "expired"


def test_a_subtotal_under_the_minimum_is_refused_as_below_minimum(session: Session) -> None:
    make_code(
        session, code="SAVE15", kind=DiscountKind.FIXED, value=1500, min_subtotal_cents=10_000
    )

    assert refusal_reason(session, "SAVE15", sub=9_999) == "below_minimum"


def test_a_fully_redeemed_code_is_refused_as_used_up(session: Session) -> None:
    make_code(session, max_redemptions=3, redemption_count=3)

    assert refusal_reason(session, "WELCOME10") == "used_up"


def test_a_once_per_customer_code_used_before_is_refused_as_already_used(
    session: Session,
) -> None:
    # given
    customer = make_user(session)
    code = make_code(session, once_per_customer=True)
    given_redemption(session, code, customer)

    # then
    assert refusal_reason(session, "welcome10", user_id=customer.id) == "already_used"


def test_a_reusable_code_used_before_still_applies(session: Session) -> None:
    customer = make_user(session)
    code = make_code(session, once_per_customer=False)
    given_redemption(session, code, customer)

    assert check_code(session, "WELCOME10", user_id=customer.id, subtotal_cents=5000).id == code.id


def test_each_rule_is_judged_against_the_given_moment(session: Session) -> None:
    # given a code valid only during March
    start = datetime(2030, 3, 1, tzinfo=UTC)
    make_code(session, starts_at=start, ends_at=start + timedelta(days=31))

    def reason_at(days: int) -> str | None:
        try:
            check_code(
                session,
                "WELCOME10",
                user_id=None,
                subtotal_cents=5000,
                now=start + timedelta(days=days),
            )
        except InvalidDiscountCode as refused:
            return refused.reason
        return None

    # then
    assert reason_at(-1) == "not_started"
    assert reason_at(0) is None
    assert reason_at(30) is None
    assert reason_at(31) == "expired"
