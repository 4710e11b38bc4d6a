"""Quotes: what a cart costs with a shipping method and a discount code, before any order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from shopora.errors import BelowMinimumCharge, InvalidDiscountCode
from shopora.formatting import money
from shopora.models import ShippingMethod
from shopora.services import cart, discounts
from shopora.services.pricing import (
    STRIPE_MINIMUM_CHARGE_CENTS,
    Line,
    Totals,
    compute_totals,
)
from shopora.services.shipping import shipping_rates


@dataclass(frozen=True)
class Quote:
    cart: cart.CartView
    totals: Totals
    method: ShippingMethod
    discount_code: str | None  # the code as applied, when it applies
    discount_error: InvalidDiscountCode | None  # why the code given does not apply

    @property
    def below_minimum(self) -> bool:
        return not self.cart.is_empty and self.totals.total_cents < STRIPE_MINIMUM_CHARGE_CENTS

    @property
    def can_check_out(self) -> bool:
        return not (self.cart.is_empty or self.cart.has_problems or self.below_minimum)

    def minimum_error(self) -> BelowMinimumCharge | None:
        if not self.below_minimum:
            return None
        return BelowMinimumCharge(
            f"Orders must total at least {money(STRIPE_MINIMUM_CHARGE_CENTS)} to be paid by card."
        )


def quote_view(
    session: Session,
    view: cart.CartView,
    *,
    user_id: int | None,
    method: ShippingMethod = ShippingMethod.STANDARD,
    discount_code: str | None = None,
) -> Quote:
    """Price a cart view; a refused code is reported with its reason, never raised."""
    lines = [Line(line.unit_price_cents, line.quantity) for line in view.lines]
    applied, error, rule = None, None, None
    if discount_code and discount_code.strip() and lines:
        try:
            found = discounts.check_code(
                session, discount_code, user_id=user_id, subtotal_cents=view.subtotal_cents
            )
            applied, rule = found.code, discounts.rule_of(found)
        except InvalidDiscountCode as exc:
            error = exc
    totals = (
        compute_totals(lines, method=ShippingMethod(method), rates=shipping_rates(), discount=rule)
        if lines
        else Totals(0, 0, 0, 0)
    )
    return Quote(view, totals, ShippingMethod(method), applied, error)


def quote(
    *,
    session: Session,
    user_id: int,
    method: ShippingMethod = ShippingMethod.STANDARD,
    discount_code: str | None = None,
) -> Quote:
    """The signed-in customer's cart, priced."""
    view = cart.get_cart(session=session, user_id=user_id)
    return quote_view(session, view, user_id=user_id, method=method, discount_code=discount_code)


def quote_items(
    *,
    session: Session,
    items: Mapping[int, int],
    method: ShippingMethod = ShippingMethod.STANDARD,
    discount_code: str | None = None,
) -> Quote:
    """An anonymous visitor's cart (held by the UI), priced."""
    view = cart.view_items(session=session, items=items)
    return quote_view(session, view, user_id=None, method=method, discount_code=discount_code)
