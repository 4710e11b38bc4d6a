"""Discount codes: which code applies to which customer and cart, and why not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from shopora.db import lock
from shopora.errors import InvalidDiscountCode, NotFound
from shopora.formatting import money
from shopora.models import (
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    DiscountReservation,
    Order,
    ReservationStatus,
    ShippingMethod,
)
from shopora.models.base import pk, utcnow
from shopora.services import rollups
from shopora.services.pricing import DiscountRule, shipping_cost
from shopora.services.shipping import shipping_rates


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


def uses_left(code: DiscountCode) -> int | None:
    """Uses neither redeemed nor held by an unpaid order (None: unlimited)."""
    if code.max_redemptions is None:
        return None
    return max(0, code.max_redemptions - code.redemption_count - code.reserved_count)


def is_limited(code: DiscountCode) -> bool:
    """A code whose uses are counted before payment (held by each unpaid order)."""
    return code.max_redemptions is not None or code.once_per_customer


def _customer_use(session: Session, code: DiscountCode, user_id: int) -> str | None:
    """'redeemed' or 'held' when this customer already has a live use of the code."""
    statement = select(DiscountReservation.status).where(
        DiscountReservation.discount_code_id == code.id,
        DiscountReservation.user_id == user_id,
        col(DiscountReservation.status) != ReservationStatus.RELEASED,
    )
    statuses = set(session.exec(statement).all())
    if ReservationStatus.COMMITTED in statuses:
        return "redeemed"
    redeemed = select(func.count()).where(
        DiscountRedemption.discount_code_id == code.id, DiscountRedemption.user_id == user_id
    )
    if session.exec(redeemed).one() > 0:
        return "redeemed"
    return "held" if ReservationStatus.HELD in statuses else None


def _check_usage(session: Session, code: DiscountCode, user_id: int | None) -> None:
    if uses_left(code) == 0:
        raise _refuse(
            "used_up", f"{code.code} has been fully redeemed (or is held by unpaid orders)."
        )
    if not (code.once_per_customer and user_id is not None):
        return
    use = _customer_use(session, code, user_id)
    if use == "redeemed":
        raise _refuse("already_used", f"You have already used {code.code}.")
    if use == "held":
        raise _refuse(
            "already_used",
            f"{code.code} is already on one of your unpaid orders; pay or cancel that first.",
        )


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


# Holds: an unpaid order holds one use of a limited code, so a limit can never be exceeded
# by orders that are paid later. Lock order everywhere: order/customer, products, then code.


def _locked_code(session: Session, code_id: int) -> DiscountCode:
    code = lock(session, DiscountCode, code_id)
    if code is None:
        raise NotFound("That discount code does not exist.", field="discount_code")
    return code


def _reservation(session: Session, order_id: int) -> DiscountReservation | None:
    statement = select(DiscountReservation).where(DiscountReservation.order_id == order_id)
    return session.exec(statement.execution_options(populate_existing=True)).first()


def reserve(session: Session, order: Order, code: DiscountCode, *, now: datetime) -> None:
    """Hold one use of a limited code for a new unpaid order, under the code's row lock
    (joins the caller's transaction). Refuses when no use is left or the customer already
    has a live use; the database's constraints refuse it too."""
    if not is_limited(code):
        return
    locked = _locked_code(session, pk(code))
    _check_window(locked, now)
    _check_usage(session, locked, order.user_id)
    session.add(
        DiscountReservation(
            discount_code_id=pk(locked),
            order_id=pk(order),
            user_id=order.user_id,
            once_key=order.user_id if locked.once_per_customer else None,
        )
    )
    locked.reserved_count += 1
    session.add(locked)
    session.flush()


def holds_use(session: Session, order: Order) -> bool:
    """Whether an unpaid order may still be paid with its code: unlimited codes always,
    limited ones only while the order holds a use (orders from before holds existed may
    not)."""
    if not order.discount_code:
        return True
    code = find_code(session, order.discount_code)
    if code is None:
        return False
    if not is_limited(code):
        return True
    found = _reservation(session, pk(order))
    return found is not None and found.status == ReservationStatus.HELD


def release(session: Session, order: Order) -> None:
    """Give a cancelled or expired order's held use back (no-op without one)."""
    found = _reservation(session, pk(order))
    if found is None or found.status != ReservationStatus.HELD:
        return
    code = _locked_code(session, found.discount_code_id)
    found.status, found.once_key, found.settled_at = ReservationStatus.RELEASED, None, utcnow()
    code.reserved_count -= 1
    session.add_all([found, code])


def redeem(session: Session, order: Order) -> str | None:
    """Turn a paid order's hold into the redemption (joins the caller's transaction).
    Returns what went wrong, for the operator, when the order had no use to redeem; None
    when it was counted (or there was no code, or it was counted before)."""
    if not order.discount_code:
        return None
    if session.exec(
        select(DiscountRedemption).where(DiscountRedemption.order_id == order.id)
    ).first():
        return None
    found = find_code(session, order.discount_code)
    if found is None:
        return f"discount code {order.discount_code} no longer exists"
    held = _reservation(session, pk(order))
    if is_limited(found) and (held is None or held.status != ReservationStatus.HELD):
        return f"discount code {found.code} was not held for this order"
    code = _locked_code(session, pk(found))
    if held is not None:
        held.status, held.settled_at = ReservationStatus.COMMITTED, utcnow()
        code.reserved_count -= 1
        session.add(held)
    code.redemption_count += 1
    session.add(code)
    given = value_given(order, code)
    session.add(
        DiscountRedemption(
            discount_code_id=pk(code),
            order_id=pk(order),
            user_id=order.user_id,
            once_key=order.user_id if code.once_per_customer else None,
            amount_cents=given,
        )
    )
    rollups.discount_redeemed(session, order, given)
    return None


def value_given(order: Order, code: DiscountCode) -> int:
    """What the code was worth to the customer: the amount off, or for free shipping the
    shipping they would otherwise have paid."""
    if code.kind != DiscountKind.FREE_SHIPPING:
        return order.discount_cents
    return shipping_cost(
        ShippingMethod(order.shipping_method),
        shipping_rates(),
        after_discount_cents=order.subtotal_cents - order.discount_cents,
        free=False,
    )
