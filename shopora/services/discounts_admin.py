"""Operators manage discount codes: create, edit, (de)activate, and see how each is used.

Every constraint of the data model is checked here first, so the operator gets a message
naming the field instead of a database error. Codes are stored uppercase and are unique
whatever their case. Once a code has been redeemed its kind cannot change, and once any
order carries it its text cannot change either (orders and reports refer to it by text).

Usage counts redemptions (recorded when an order is paid): discount given = Σ redemption
amounts (for free shipping, the shipping waived), revenue = Σ total of those orders.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from shopora.db import lock
from shopora.errors import AlreadyExists, NotFound, ValidationFailed
from shopora.models import DiscountCode, DiscountKind, DiscountRedemption, Order
from shopora.models.base import utcnow
from shopora.services import discounts
from shopora.services.uow import transaction, unique_save

CODE_PATTERN = re.compile(r"^[A-Z0-9_-]{3,40}$")
MAX_CENTS = 99_999_999
MAX_DESCRIPTION = 500
_VALUE_RULES: dict[str, tuple[int, int, str]] = {
    DiscountKind.PERCENT: (1, 100, "A percentage is 1 to 100."),
    DiscountKind.FIXED: (1, MAX_CENTS, "A fixed amount is at least 1 cent."),
    DiscountKind.FREE_SHIPPING: (0, 0, "Free shipping takes no value; leave it at 0."),
}


@dataclass(frozen=True)
class DiscountInput:
    """What the discount form submits; `kind` is a DiscountKind value."""

    code: str
    kind: str
    value: int
    description: str = ""
    min_subtotal_cents: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    max_redemptions: int | None = None
    once_per_customer: bool = False
    active: bool = True

    @classmethod
    def of(cls, code: DiscountCode) -> DiscountInput:
        """The form's starting values for editing `code`."""
        return cls(**{field.name: getattr(code, field.name) for field in fields(cls)})


@dataclass(frozen=True)
class CodeUsage:
    code_id: int
    code: str
    kind: str
    value: int
    active: bool
    redemptions: int
    # Uses held by unpaid orders (released if they are cancelled, redeemed when paid).
    reserved: int
    discount_given_cents: int
    revenue_cents: int
    max_redemptions: int | None
    status_label: str
    starts_at: datetime | None
    ends_at: datetime | None


def create_code(*, session: Session, data: DiscountInput) -> DiscountCode:
    """A new discount code, checked against every rule of the model."""
    with _saving(session):
        code = DiscountCode(**asdict(_validated(session, data, existing=None)))
        session.add(code)
    return code


def update_code(*, session: Session, code_id: int, data: DiscountInput) -> DiscountCode:
    """Change a code; its kind is fixed once redeemed, its text once any order carries it."""
    with _saving(session):
        code = _locked(session, code_id)
        for name, value in asdict(_validated(session, data, existing=code)).items():
            setattr(code, name, value)
        session.add(code)
    return code


def deactivate_code(*, session: Session, code_id: int) -> DiscountCode:
    """Stop a code from being applied to new orders."""
    return _set_active(session, code_id, False)


def activate_code(*, session: Session, code_id: int) -> DiscountCode:
    """Let customers apply a code again (its dates and limits still apply)."""
    return _set_active(session, code_id, True)


def get_code(*, session: Session, code_id: int) -> DiscountCode:
    """A code by id (NotFound if there is none)."""
    code = session.get(DiscountCode, code_id, populate_existing=True)
    if code is None:
        raise NotFound("That discount code does not exist.", field="code_id")
    return code


def code_usage(*, session: Session, now: datetime | None = None) -> list[CodeUsage]:
    """Every code with its redemptions, discount given and revenue, in one query."""
    moment = now or utcnow()
    statement = (
        select(
            DiscountCode,
            func.count(col(DiscountRedemption.id)),
            func.coalesce(func.sum(col(DiscountRedemption.amount_cents)), 0),
            func.coalesce(func.sum(col(Order.total_cents)), 0),
        )
        .outerjoin(
            DiscountRedemption, col(DiscountRedemption.discount_code_id) == col(DiscountCode.id)
        )
        .outerjoin(Order, col(Order.id) == col(DiscountRedemption.order_id))
        # Grouping by the primary key lets every other column of the code be selected.
        .group_by(col(DiscountCode.id))
        .order_by(col(DiscountCode.code))
    )
    return [
        CodeUsage(
            code_id=code.id or 0,
            code=code.code,
            kind=code.kind,
            value=code.value,
            active=code.active,
            redemptions=int(uses),
            reserved=code.reserved_count,
            discount_given_cents=int(given),
            revenue_cents=int(revenue),
            max_redemptions=code.max_redemptions,
            status_label=status_label(code, moment),
            starts_at=code.starts_at,
            ends_at=code.ends_at,
        )  # fmt: skip
        for code, uses, given, revenue in session.exec(statement).all()
    ]


def status_label(code: DiscountCode, now: datetime) -> str:
    """ "inactive", "expired", "used up", "scheduled" or "active", the first that applies."""
    if not code.active:
        return "inactive"
    if code.ends_at is not None and now >= code.ends_at:
        return "expired"
    if code.max_redemptions is not None and code.redemption_count >= code.max_redemptions:
        return "used up"
    if discounts.uses_left(code) == 0:
        return "held by unpaid orders"
    if code.starts_at is not None and now < code.starts_at:
        return "scheduled"
    return "active"


def _validated(
    session: Session, data: DiscountInput, existing: DiscountCode | None
) -> DiscountInput:
    clean = replace(data, code=data.code.strip().upper(), description=data.description.strip())
    _check_fields(clean)
    _check_window(clean)
    _check_against_history(session, clean, existing)
    return replace(
        clean,
        starts_at=clean.starts_at.astimezone(UTC) if clean.starts_at else None,
        ends_at=clean.ends_at.astimezone(UTC) if clean.ends_at else None,
    )


def _check_fields(data: DiscountInput) -> None:
    low, high, value_message = _VALUE_RULES.get(data.kind, (0, -1, "Choose the kind first."))
    limit = data.max_redemptions
    rules = (
        ("code", CODE_PATTERN.match(data.code), "Codes are 3 to 40 letters, digits, - or _."),
        ("kind", data.kind in _VALUE_RULES, "Choose percent, fixed or free shipping."),
        ("value", _within(data.value, low, high), value_message),
        ("description", len(data.description) <= MAX_DESCRIPTION,
         f"Keep the description under {MAX_DESCRIPTION} characters."),
        ("min_subtotal_cents", _within(data.min_subtotal_cents, 0, MAX_CENTS),
         "The minimum subtotal cannot be negative."),
        ("max_redemptions", limit is None or _within(limit, 1, 10_000_000),
         "Allow at least one redemption, or leave the limit empty."),
    )  # fmt: skip
    for field, ok, message in rules:
        if not ok:
            raise ValidationFailed(message, field=field)


def _check_window(data: DiscountInput) -> None:
    for field in ("starts_at", "ends_at"):
        moment: datetime | None = getattr(data, field)
        if moment is not None and moment.utcoffset() is None:
            raise ValidationFailed("Dates must carry a time zone (use UTC).", field=field)
    if data.starts_at and data.ends_at and data.starts_at >= data.ends_at:
        raise ValidationFailed("The code must end after it starts.", field="ends_at")


def _check_against_history(
    session: Session, data: DiscountInput, existing: DiscountCode | None
) -> None:
    clash = select(col(DiscountCode.id)).where(
        func.lower(col(DiscountCode.code)) == data.code.lower(),
        col(DiscountCode.id) != (existing.id if existing else 0),
    )
    if session.exec(clash).first() is not None:
        raise AlreadyExists(f"The code {data.code} already exists.", field="code")
    if existing is None:
        return
    redeemed = max(existing.redemption_count, _redemptions(session, existing))
    if data.kind != existing.kind and redeemed:
        raise ValidationFailed("A code that has been redeemed keeps its kind.", field="kind")
    taken = existing.redemption_count + existing.reserved_count
    if data.max_redemptions is not None and data.max_redemptions < taken:
        raise ValidationFailed(
            f"It has been redeemed {existing.redemption_count} times already and "
            f"{existing.reserved_count} unpaid orders hold a use.",
            field="max_redemptions",
        )
    if data.code != existing.code and (redeemed or _orders_using(session, existing.code)):
        raise ValidationFailed("Orders refer to this code by its text; keep it.", field="code")


def _within(value: int, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _redemptions(session: Session, code: DiscountCode) -> int:
    statement = select(func.count(col(DiscountRedemption.id))).where(
        col(DiscountRedemption.discount_code_id) == code.id
    )
    return int(session.exec(statement).one())


def _orders_using(session: Session, text: str) -> int:
    statement = select(func.count(col(Order.id))).where(
        func.lower(col(Order.discount_code)) == text.lower()
    )
    return int(session.exec(statement).one())


def _saving(session: Session) -> AbstractContextManager[Session]:
    return unique_save(
        session, conflict="That code was saved by someone else just now.", field="code"
    )


def _locked(session: Session, code_id: int) -> DiscountCode:
    code = lock(session, DiscountCode, code_id)
    if code is None:
        raise NotFound("That discount code does not exist.", field="code_id")
    return code


def _set_active(session: Session, code_id: int, active: bool) -> DiscountCode:
    with transaction(session):
        code = _locked(session, code_id)
        code.active = active
        session.add(code)
    return code
