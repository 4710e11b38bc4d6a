"""Operators manage discount codes: create, edit, (de)activate, and see how each is used.

Every constraint of the data model is checked here first, so the operator gets a message
naming the field instead of a database error. Codes are stored uppercase and are unique
whatever their case. Once a code has been redeemed its kind cannot change, and once any
order carries it its text cannot change either (orders and reports refer to it by text).

Usage counts redemptions (recorded when an order is paid): discount given = Σ redemption
amounts (for free shipping, the shipping waived), revenue = Σ total of those orders.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ModelWrapValidatorHandler, ValidationError, model_validator
from sqlmodel import Session, col, func, select

from shopora.db import lock
from shopora.errors import AlreadyExists, NotFound, ValidationFailed
from shopora.models import DiscountCode, DiscountKind, DiscountRedemption, Order
from shopora.models.base import field_values, utcnow
from shopora.models.discounts import MAX_CENTS, MAX_DESCRIPTION, DiscountCodeBase
from shopora.services import discounts
from shopora.services.input_rules import in_plain_words
from shopora.services.uow import transaction, unique_save

_VALUE_RULES: dict[str, tuple[int, int, str]] = {
    DiscountKind.PERCENT: (1, 100, "A percentage is 1 to 100."),
    DiscountKind.FIXED: (1, MAX_CENTS, "A fixed amount is at least 1 cent."),
    DiscountKind.FREE_SHIPPING: (0, 0, "Free shipping takes no value; leave it at 0."),
}


# What a field that breaks its rule (declared once, on DiscountCodeBase) tells a person; the
# value's message depends on the kind (see _VALUE_RULES).
_RULES = {
    "code": "Codes are 3 to 40 letters, digits, - or _.",
    "kind": "Choose percent, fixed or free shipping.",
    "value": "Choose the kind first.",
    "description": f"Keep the description under {MAX_DESCRIPTION} characters.",
    "min_subtotal_cents": "The minimum subtotal cannot be negative.",
    "starts_at": "Dates must carry a time zone (use UTC).",
    "ends_at": "Dates must carry a time zone (use UTC).",
    "max_redemptions": "Allow at least one redemption, or leave the limit empty.",
    "once_per_customer": "Choose whether each customer may use it once only.",
    "active": "Choose whether the code is active.",
}


class DiscountInput(DiscountCodeBase):
    """What the discount form (or the API) submits, checked and cleaned by DiscountCodeBase's
    rules as it is built (a broken rule raises ValidationFailed naming the field); the rules
    between fields and against history are checked when it is saved."""

    @model_validator(mode="wrap")
    @classmethod
    def _in_plain_words(cls, data: Any, handler: ModelWrapValidatorHandler[DiscountInput]) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            kind = data.get("kind") if isinstance(data, dict) else None
            value_rule = _VALUE_RULES.get(str(kind), (0, 0, _RULES["value"]))[2]
            raise in_plain_words(exc, {**_RULES, "value": value_rule}, "A code's") from None

    @classmethod
    def of(cls, code: DiscountCodeBase) -> DiscountInput:
        """The form's starting values for editing `code`, as stored (not checked again)."""
        return cls.model_construct(**field_values(code, DiscountCodeBase))

    def but(self, **changes: Any) -> DiscountInput:
        """This input with `changes`, checked again."""
        return DiscountInput(**{**field_values(self, DiscountCodeBase), **changes})


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
        code = DiscountCode.model_validate(_validated(session, data, existing=None))
        session.add(code)
    return code


def update_code(*, session: Session, code_id: int, data: DiscountInput) -> DiscountCode:
    """Change a code; its kind is fixed once redeemed, its text once any order carries it."""
    with _saving(session):
        code = _locked(session, code_id)
        code.sqlmodel_update(_validated(session, data, existing=code).model_dump())
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
    """`data` (already checked field by field, its moments in UTC) against the rules between
    its fields and the code's history."""
    low, high, value_message = _VALUE_RULES[data.kind]
    if not low <= data.value <= high:
        raise ValidationFailed(value_message, field="value")
    _check_window(data)
    _check_against_history(session, data, existing)
    return data


def _check_window(data: DiscountInput) -> None:
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
