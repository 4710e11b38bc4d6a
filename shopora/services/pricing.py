"""Order arithmetic, pure: integer cents in, integer cents out. The server's only price maths."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shopora.errors import BelowMinimumCharge, ValidationFailed
from shopora.formatting import money
from shopora.models.status import DiscountKind, ShippingMethod

# Stripe refuses to charge less than 50 minor units in usd, eur, cad, aud, chf and jpy (30 in
# gbp); refusing here keeps the order honest.
STRIPE_MINIMUM_CHARGE_CENTS = 50


@dataclass(frozen=True)
class Line:
    unit_price_cents: int
    quantity: int

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class DiscountRule:
    kind: DiscountKind
    value: int  # percent (1-100), cents for fixed, ignored for free shipping


@dataclass(frozen=True)
class ShippingRates:
    standard_cents: int
    express_cents: int
    free_standard_threshold_cents: int


@dataclass(frozen=True)
class Totals:
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    total_cents: int


def subtotal(lines: Iterable[Line]) -> int:
    total = 0
    for line in lines:
        if line.unit_price_cents <= 0 or line.quantity <= 0:
            raise ValidationFailed("Every line needs a positive price and quantity.")
        total += line.total_cents
    return total


def discount_amount(rule: DiscountRule | None, subtotal_cents: int) -> int:
    """Percent rounds half-up to the cent; a fixed amount never exceeds the subtotal."""
    if rule is None or rule.kind == DiscountKind.FREE_SHIPPING:
        return 0
    if rule.kind == DiscountKind.PERCENT:
        return (subtotal_cents * rule.value + 50) // 100
    return min(rule.value, subtotal_cents)


def shipping_cost(
    method: ShippingMethod, rates: ShippingRates, *, after_discount_cents: int, free: bool
) -> int:
    """Free standard shipping is earned on what the customer actually pays for goods."""
    if free:
        return 0
    if method == ShippingMethod.EXPRESS:
        return rates.express_cents
    if after_discount_cents >= rates.free_standard_threshold_cents:
        return 0
    return rates.standard_cents


def compute_totals(
    lines: Iterable[Line],
    *,
    method: ShippingMethod,
    rates: ShippingRates,
    discount: DiscountRule | None = None,
) -> Totals:
    sub = subtotal(lines)
    off = discount_amount(discount, sub)
    free = discount is not None and discount.kind == DiscountKind.FREE_SHIPPING
    ship = shipping_cost(method, rates, after_discount_cents=sub - off, free=free)
    return Totals(sub, off, ship, sub - off + ship)


def ensure_chargeable(totals: Totals) -> None:
    if totals.total_cents < STRIPE_MINIMUM_CHARGE_CENTS:
        raise BelowMinimumCharge(
            f"Orders must total at least {money(STRIPE_MINIMUM_CHARGE_CENTS)} to be paid by card; "
            "add another item."
        )
