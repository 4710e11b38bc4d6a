"""A guest's cart, kept in the database under the random id in their guest cookie.

The cart service's rules apply to it unchanged (the UI checks every change with
`cart.validate_anonymous_add` before saving); this module only stores it. A cart nobody has
touched for GUEST_CART_DAYS is dropped, as abandoned carts are in any shop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from shopora.models import GuestCart
from shopora.models.base import utcnow
from shopora.services.uow import transaction

GUEST_CART_DAYS = 30
# secrets.token_urlsafe(32) makes 43 characters; anything else is not one of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def is_token(value: object) -> bool:
    """Whether `value` (whatever a browser sent) looks like a guest id this shop hands out."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def load(*, session: Session, token: str, now: datetime | None = None) -> dict[int, int]:
    """The guest's {product id: quantity}; empty when there is no cart or it went stale."""
    row = session.get(GuestCart, token, populate_existing=True)
    if row is None or _stale(row, now or utcnow()):
        return {}
    return items_of(row)


def items_of(row: GuestCart) -> dict[int, int]:
    """A stored guest cart as {product id: quantity} (JSON keys are text)."""
    return {int(pid): int(qty) for pid, qty in row.items.items() if int(qty) > 0}


def save(
    *, session: Session, token: str, items: Mapping[int, int], now: datetime | None = None
) -> None:
    """Store the guest's cart (an empty one removes the row), and drop abandoned carts."""
    now = now or utcnow()
    stored = {str(pid): qty for pid, qty in items.items() if qty > 0}
    try:
        _write(session, token, stored, now)
    except IntegrityError:
        # Two first saves from one browser raced to insert the row: the other one won,
        # so this one is now an update.
        _write(session, token, stored, now)


def forget(*, session: Session, token: str) -> None:
    """Delete the guest's cart (it was folded into a customer's at sign-in)."""
    save(session=session, token=token, items={})


def _write(session: Session, token: str, stored: dict[str, int], now: datetime) -> None:
    with transaction(session):
        cutoff = now - timedelta(days=GUEST_CART_DAYS)
        session.exec(delete(GuestCart).where(col(GuestCart.updated_at) < cutoff))
        row = session.get(GuestCart, token, populate_existing=True)
        if not stored:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(GuestCart(token=token, items=stored, updated_at=now))
        else:
            row.items, row.updated_at = stored, now
            session.add(row)


def _stale(row: GuestCart, now: datetime) -> bool:
    return row.updated_at < now - timedelta(days=GUEST_CART_DAYS)
