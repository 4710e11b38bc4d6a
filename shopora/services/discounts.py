"""Discount codes: which code applies to which customer and cart, and why not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from shopora.errors import InvalidDiscountCode
from shopora.formatting import money
from shopora.models import DiscountCode, DiscountKind, DiscountRedemption, Order, OrderStatus
from shopora.models.base import utcnow
from shopora.services.pricing import DiscountRule


def normalize_code(code: str) -> str:
    return code.strip().upper()


def find_code(session: Session, code: str) -> DiscountCode | None:
    wanted = normalize_code(code).lower()
    statement = select(DiscountCode).where(func.lower(DiscountCode.code) == wanted)
    return session.exec(statement).first()


def rule_of(code: DiscountCode) -> DiscountRule:
    return DiscountRule(kind=DiscountKind(code.kind), value=code.value)


def _refuse(reason: str, message: str) -> InvalidDiscountCode:
    return InvalidDiscountCode(message, reason=reason)


def _check_window(code: DiscountCode, now: datetime) -> None:
    if not code.active:
        raise _refuse("inactive", f"{code.code} is no longer active.")
    if code.starts_at and now < code.starts_at:
        raise _refuse("not_started", f"{code.code} starts on {code.starts_at:%b %d, %Y}.")
    if code.ends_at and now >= code.ends_at:
        raise _refuse("expired", f"{code.code} expired on {code.ends_at:%b %d, %Y}.")


def _check_usage(session: Session, code: DiscountCode, user_id: int | None) -> None:
    if code.max_redemptions is not None and code.redemption_count >= code.max_redemptions:
        raise _refuse("used_up", f"{code.code} has been fully redeemed.")
    if not (code.once_per_customer and user_id is not None):
        return
    statement = select(func.count()).where(
        DiscountRedemption.discount_code_id == code.id, DiscountRedemption.user_id == user_id
    )
    if session.exec(statement).one() > 0:
        raise _refuse("already_used", f"You have already used {code.code}.")


def _check_minimum(code: DiscountCode, subtotal_cents: int) -> None:
    if subtotal_cents < code.min_subtotal_cents:
        needed = money(code.min_subtotal_cents)
        raise _refuse("below_minimum", f"{code.code} needs a subtotal of at least {needed}.")


def check_code(
    session: Session,
    code: str,
    *,
    user_id: int | None,
    subtotal_cents: int,
    now: datetime | None = None,
) -> DiscountCode:
    """The code if it applies to this customer and subtotal; else InvalidDiscountCode with
    a distinct `reason`: unknown, inactive, not_started, expired, below_minimum, used_up,
    already_used."""
    found = find_code(session, code) if code.strip() else None
    if found is None:
        raise _refuse("unknown", f"We don't know the code {normalize_code(code)!r}.")
    _check_window(found, now or utcnow())
    _check_usage(session, found, user_id)
    _check_minimum(found, subtotal_cents)
    return found


def pending_uses(session: Session, code: DiscountCode, user_id: int) -> int:
    """Unpaid orders of this customer holding the code (to stop placing two at once)."""
    statement = select(func.count()).where(
        Order.user_id == user_id,
        Order.discount_code == code.code,
        Order.status == OrderStatus.PENDING,
    )
    return int(session.exec(statement).one())
