"""Operators' discount codes: every model constraint as a named refusal, edits, usage."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from shopora.errors import AlreadyExists, NotFound, ValidationFailed
from shopora.models import DiscountCode, DiscountRedemption, Order, PaymentStatus, User
from shopora.services.discounts_admin import (
    CodeUsage,
    DiscountInput,
    activate_code,
    code_usage,
    create_code,
    deactivate_code,
    update_code,
)
from tests.factories import make_user

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
_numbers = itertools.count(1)


def create(session: Session, code: str = "SPRING10", **changes: Any) -> DiscountCode:
    data = DiscountInput(**{"code": code, "kind": "percent", "value": 10, **changes})
    return create_code(session=session, data=data)


def edit(session: Session, row: DiscountCode, **changes: Any) -> DiscountCode:
    data = DiscountInput.of(row).but(**changes)
    return update_code(session=session, code_id=row.id or 0, data=data)


def redeem(session: Session, code: DiscountCode, user: User, total: int, saved: int) -> None:
    """A paid order that used `code`, and the redemption counted when it was paid."""
    order = Order(
        number=f"SO-{next(_numbers)}", user_id=user.id or 0, status="paid",
        payment_status=PaymentStatus.PAID, subtotal_cents=total + saved, discount_cents=saved,
        total_cents=total, email=user.email, shipping_name="A", shipping_line1="1 Main St",
        shipping_city="X", shipping_postal_code="12345", shipping_country="US",
        discount_code=code.code, paid_at=NOW,
    )  # fmt: skip
    session.add(order)
    session.flush()
    session.add(
        DiscountRedemption(
            discount_code_id=code.id or 0, order_id=order.id or 0, user_id=user.id or 0,
            amount_cents=saved,
        )
    )  # fmt: skip
    code.redemption_count += 1
    session.add(code)
    session.commit()


# --- create -------------------------------------------------------------------------------


def test_a_code_is_stored_trimmed_and_uppercase(session: Session) -> None:
    # when
    code = create(session, "  spring_sale-10 ", description="  Spring!  ")

    # then
    assert (code.code, code.kind, code.value, code.description) == (
        "SPRING_SALE-10", "percent", 10, "Spring!",
    )  # fmt: skip
    assert (code.active, code.redemption_count) == (True, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "AB"}, "code"),
        ({"code": "A" * 41}, "code"),
        ({"code": "TEN OFF"}, "code"),
        ({"code": "TEN%"}, "code"),
        ({"kind": "bogus"}, "kind"),
        ({"kind": "percent", "value": 0}, "value"),
        ({"kind": "percent", "value": 101}, "value"),
        ({"kind": "fixed", "value": 0}, "value"),
        ({"kind": "fixed", "value": -500}, "value"),
        ({"kind": "free_shipping", "value": 500}, "value"),
        ({"value": True}, "value"),
        ({"description": "x" * 501}, "description"),
        ({"min_subtotal_cents": -1}, "min_subtotal_cents"),
        ({"starts_at": datetime(2026, 3, 1)}, "starts_at"),
        ({"ends_at": datetime(2026, 3, 1)}, "ends_at"),
        ({"starts_at": NOW, "ends_at": NOW}, "ends_at"),
        ({"starts_at": NOW, "ends_at": NOW - timedelta(days=1)}, "ends_at"),
        ({"max_redemptions": 0}, "max_redemptions"),
    ],
)
def test_invalid_codes_are_refused_naming_the_field(
    session: Session, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(session, **changes)
    assert refused.value.field == field
    assert session.exec(select(DiscountCode)).all() == []


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "percent", "value": 1},
        {"kind": "percent", "value": 100},
        {"kind": "fixed", "value": 1},
        {"kind": "free_shipping", "value": 0},
        {"max_redemptions": 1, "min_subtotal_cents": 0},
        {"starts_at": NOW, "ends_at": NOW + timedelta(seconds=1)},
    ],
)
def test_the_limits_themselves_are_accepted(session: Session, changes: dict[str, Any]) -> None:
    assert create(session, **changes).id is not None


def test_a_code_is_unique_whatever_its_case(session: Session) -> None:
    # given
    create(session, "SAVE10")
    other = create(session, "SAVE20")

    # when / then
    with pytest.raises(AlreadyExists) as refused:
        create(session, "save10")
    assert refused.value.field == "code"
    with pytest.raises(AlreadyExists):
        edit(session, other, code="Save10")


# --- edit ---------------------------------------------------------------------------------


def test_editing_changes_the_terms(session: Session) -> None:
    # given
    code = create(session)

    # when
    edited = edit(
        session, code, code="SPRING15", value=15, min_subtotal_cents=5000, max_redemptions=100,
        once_per_customer=True, starts_at=NOW, ends_at=NOW + timedelta(days=30),
    )  # fmt: skip

    # then
    assert (edited.code, edited.value, edited.min_subtotal_cents) == ("SPRING15", 15, 5000)
    assert (edited.max_redemptions, edited.once_per_customer) == (100, True)
    assert (edited.starts_at, edited.ends_at) == (NOW, NOW + timedelta(days=30))


def test_the_kind_changes_only_while_the_code_is_unredeemed(session: Session) -> None:
    # given
    fresh, used = create(session, "FRESH"), create(session, "USED")
    redeem(session, used, make_user(session), total=9000, saved=1000)

    # when
    changed = edit(session, fresh, kind="fixed", value=500)

    # then
    assert changed.kind == "fixed"
    with pytest.raises(ValidationFailed) as refused:
        edit(session, used, kind="fixed", value=500)
    assert refused.value.field == "kind"


def test_the_limit_cannot_drop_below_the_redemptions_so_far(session: Session) -> None:
    # given
    code = create(session)
    user = make_user(session)
    redeem(session, code, user, total=9000, saved=1000)
    redeem(session, code, user, total=9000, saved=1000)

    # when / then
    with pytest.raises(ValidationFailed) as refused:
        edit(session, code, max_redemptions=1)
    assert refused.value.field == "max_redemptions"
    assert edit(session, code, max_redemptions=2).max_redemptions == 2


def test_a_code_that_orders_carry_keeps_its_text(session: Session) -> None:
    # given
    code = create(session)
    redeem(session, code, make_user(session), total=9000, saved=1000)

    # when / then
    with pytest.raises(ValidationFailed) as refused:
        edit(session, code, code="RENAMED")
    assert refused.value.field == "code"
    assert edit(session, code, code="spring10", value=20).value == 20


def test_editing_an_unknown_code_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        update_code(
            session=session, code_id=999, data=DiscountInput(code="ABC", kind="percent", value=5)
        )


def test_deactivating_and_activating_toggle_the_code(session: Session) -> None:
    # given
    code = create(session)

    # when / then
    assert deactivate_code(session=session, code_id=code.id or 0).active is False
    assert activate_code(session=session, code_id=code.id or 0).active is True
    with pytest.raises(NotFound):
        deactivate_code(session=session, code_id=999)


# --- usage --------------------------------------------------------------------------------


def test_usage_sums_redemptions_discount_and_revenue_per_code(session: Session) -> None:
    # given
    alice, bob = make_user(session), make_user(session)
    welcome = create(session, "WELCOME10")
    ship = create(session, "FREESHIP", kind="free_shipping", value=0)
    create(session, "UNUSED", kind="fixed", value=500)
    redeem(session, welcome, alice, total=9000, saved=1000)
    redeem(session, welcome, bob, total=4500, saved=500)
    redeem(session, ship, alice, total=3000, saved=599)  # the shipping waived

    # when
    usage = {row.code: row for row in code_usage(session=session, now=NOW)}

    # then
    facts = {c: (u.redemptions, u.discount_given_cents, u.revenue_cents) for c, u in usage.items()}
    assert facts == {"FREESHIP": (1, 599, 3000), "UNUSED": (0, 0, 0), "WELCOME10": (2, 1500, 13500)}
    assert usage["WELCOME10"] == CodeUsage(
        code_id=welcome.id or 0, code="WELCOME10", kind="percent", value=10, active=True,
        redemptions=2, reserved=0, discount_given_cents=1500, revenue_cents=13500,
        max_redemptions=None,
        status_label="active", starts_at=None, ends_at=None,
    )  # fmt: skip


def test_each_code_is_labelled_with_its_state(session: Session) -> None:
    # given
    day = timedelta(days=1)
    create(session, "LIVE")
    create(session, "OFF", active=False, ends_at=NOW - day)
    create(session, "OVER", starts_at=NOW - 2 * day, ends_at=NOW)
    create(session, "SOON", starts_at=NOW + day)
    full = create(session, "FULL", max_redemptions=1)
    redeem(session, full, make_user(session), total=9000, saved=1000)

    # when
    labels = {row.code: row.status_label for row in code_usage(session=session, now=NOW)}

    # then
    assert labels == {
        "LIVE": "active", "OFF": "inactive", "OVER": "expired", "SOON": "scheduled",
        "FULL": "used up",
    }  # fmt: skip
