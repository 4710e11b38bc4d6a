"""Order arithmetic: examples for each rule, and properties that hold for every cart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopora.errors import BelowMinimumCharge, ValidationFailed
from shopora.models import DiscountKind, ShippingMethod
from shopora.services.pricing import (
    STRIPE_MINIMUM_CHARGE_CENTS,
    DiscountRule,
    Line,
    ShippingRates,
    Totals,
    compute_totals,
    discount_amount,
    ensure_chargeable,
    shipping_cost,
    subtotal,
)

RATES = ShippingRates(standard_cents=599, express_cents=1499, free_standard_threshold_cents=7500)


def percent(value: int) -> DiscountRule:
    return DiscountRule(DiscountKind.PERCENT, value)


def fixed(cents: int) -> DiscountRule:
    return DiscountRule(DiscountKind.FIXED, cents)


FREE_SHIPPING = DiscountRule(DiscountKind.FREE_SHIPPING, 0)


def totals_of(
    *lines: Line,
    method: ShippingMethod = ShippingMethod.STANDARD,
    discount: DiscountRule | None = None,
) -> Totals:
    return compute_totals(lines, method=method, rates=RATES, discount=discount)


# --- subtotal ----------------------------------------------------------------------------


def test_the_subtotal_adds_price_times_quantity_of_every_line() -> None:
    assert subtotal([Line(1500, 2), Line(250, 3)]) == 3750


def test_an_empty_cart_has_a_zero_subtotal() -> None:
    assert subtotal([]) == 0


@pytest.mark.parametrize("line", [Line(0, 1), Line(-100, 1), Line(100, 0), Line(100, -2)])
def test_a_line_without_a_positive_price_and_quantity_is_refused(line: Line) -> None:
    with pytest.raises(ValidationFailed):
        subtotal([line])


# --- discounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtotal_cents", "percent_off", "expected"),
    [
        (1995, 10, 200),  # 199.5 rounds up
        (1994, 10, 199),  # 199.4 rounds down
        (5, 10, 1),  # 0.5 rounds up
        (4, 10, 0),  # 0.4 rounds down
        (1000, 100, 1000),
        (999, 15, 150),  # 149.85
        (0, 50, 0),
    ],
)
def test_a_percent_discount_rounds_half_up_to_the_cent(
    subtotal_cents: int, percent_off: int, expected: int
) -> None:
    assert discount_amount(percent(percent_off), subtotal_cents) == expected


def test_a_fixed_discount_takes_its_amount_off() -> None:
    assert discount_amount(fixed(1500), 10_000) == 1500


def test_a_fixed_discount_never_exceeds_the_subtotal() -> None:
    assert discount_amount(fixed(5000), 1200) == 1200


def test_free_shipping_and_no_code_take_nothing_off_the_goods() -> None:
    assert discount_amount(FREE_SHIPPING, 5000) == 0
    assert discount_amount(None, 5000) == 0


# --- shipping ----------------------------------------------------------------------------


def test_standard_shipping_costs_the_standard_rate_below_the_threshold() -> None:
    cost = shipping_cost(ShippingMethod.STANDARD, RATES, after_discount_cents=7499, free=False)
    assert cost == 599


def test_standard_shipping_is_free_at_the_threshold() -> None:
    cost = shipping_cost(ShippingMethod.STANDARD, RATES, after_discount_cents=7500, free=False)
    assert cost == 0


def test_express_shipping_always_costs_the_express_rate() -> None:
    cost = shipping_cost(ShippingMethod.EXPRESS, RATES, after_discount_cents=50_000, free=False)
    assert cost == 1499


@pytest.mark.parametrize("method", list(ShippingMethod))
def test_a_free_shipping_code_zeroes_any_shipping(method: ShippingMethod) -> None:
    assert shipping_cost(method, RATES, after_discount_cents=100, free=True) == 0


def test_the_free_shipping_threshold_counts_the_subtotal_after_discount() -> None:
    # given goods worth 80.00 with 10% off: 72.00 paid for goods, under the 75.00 threshold
    totals = totals_of(Line(8000, 1), discount=percent(10))

    # then
    assert totals.discount_cents == 800
    assert totals.shipping_cents == 599
    assert totals.total_cents == 8000 - 800 + 599


def test_a_free_shipping_code_also_zeroes_express() -> None:
    totals = totals_of(Line(1000, 1), method=ShippingMethod.EXPRESS, discount=FREE_SHIPPING)
    assert totals == Totals(1000, 0, 0, 1000)


def test_totals_of_a_plain_cart_add_standard_shipping() -> None:
    assert totals_of(Line(1500, 2)) == Totals(3000, 0, 599, 3599)


# --- minimum charge ----------------------------------------------------------------------


def test_a_total_under_fifty_cents_cannot_be_charged() -> None:
    with pytest.raises(BelowMinimumCharge):
        ensure_chargeable(Totals(49, 0, 0, 49))


def test_a_total_of_exactly_fifty_cents_can_be_charged() -> None:
    ensure_chargeable(Totals(STRIPE_MINIMUM_CHARGE_CENTS, 0, 0, STRIPE_MINIMUM_CHARGE_CENTS))


def test_a_free_order_cannot_be_charged() -> None:
    totals = totals_of(Line(40, 1), discount=FREE_SHIPPING)
    with pytest.raises(BelowMinimumCharge):
        ensure_chargeable(totals)


# --- properties --------------------------------------------------------------------------

lines_strategy = st.lists(
    st.builds(
        Line,
        unit_price_cents=st.integers(min_value=1, max_value=500_000),
        quantity=st.integers(min_value=1, max_value=99),
    ),
    min_size=1,
    max_size=6,
)
rules_strategy = st.one_of(
    st.none(),
    st.builds(DiscountRule, kind=st.just(DiscountKind.PERCENT), value=st.integers(1, 100)),
    st.builds(DiscountRule, kind=st.just(DiscountKind.FIXED), value=st.integers(0, 10**7)),
    st.just(FREE_SHIPPING),
)
rates_strategy = st.builds(
    ShippingRates,
    standard_cents=st.integers(0, 5000),
    express_cents=st.integers(0, 10_000),
    free_standard_threshold_cents=st.integers(0, 100_000),
)


@given(
    lines=lines_strategy,
    rule=rules_strategy,
    rates=rates_strategy,
    method=st.sampled_from(ShippingMethod),
)
def test_totals_always_add_up_and_never_go_negative(
    lines: list[Line], rule: DiscountRule | None, rates: ShippingRates, method: ShippingMethod
) -> None:
    totals = compute_totals(lines, method=method, rates=rates, discount=rule)

    assert totals.subtotal_cents == sum(line.unit_price_cents * line.quantity for line in lines)
    assert totals.total_cents == (
        totals.subtotal_cents - totals.discount_cents + totals.shipping_cents
    )
    assert 0 <= totals.discount_cents <= totals.subtotal_cents
    assert totals.shipping_cents >= 0
    assert totals.total_cents >= 0


@given(subtotal_cents=st.integers(0, 10**8), percent_off=st.integers(1, 100))
def test_a_percent_discount_is_the_exact_share_rounded_half_up(
    subtotal_cents: int, percent_off: int
) -> None:
    off = discount_amount(percent(percent_off), subtotal_cents)

    exact_hundredths = subtotal_cents * percent_off  # the discount in 1/100 cents
    assert off * 100 - 50 <= exact_hundredths < off * 100 + 50
    assert 0 <= off <= subtotal_cents


@given(subtotal_cents=st.integers(0, 10**8), amount=st.integers(0, 10**8))
def test_a_fixed_discount_is_its_amount_capped_at_the_subtotal(
    subtotal_cents: int, amount: int
) -> None:
    assert discount_amount(fixed(amount), subtotal_cents) == min(amount, subtotal_cents)


@given(lines=lines_strategy, rule=rules_strategy, method=st.sampled_from(ShippingMethod))
def test_free_shipping_follows_the_code_the_method_and_the_threshold(
    lines: list[Line], rule: DiscountRule | None, method: ShippingMethod
) -> None:
    totals = compute_totals(lines, method=method, rates=RATES, discount=rule)

    paid_for_goods = totals.subtotal_cents - totals.discount_cents
    if rule is not None and rule.kind == DiscountKind.FREE_SHIPPING:
        assert totals.shipping_cents == 0
    elif method == ShippingMethod.EXPRESS:
        assert totals.shipping_cents == RATES.express_cents
    elif paid_for_goods >= RATES.free_standard_threshold_cents:
        assert totals.shipping_cents == 0
    else:
        assert totals.shipping_cents == RATES.standard_cents


@given(total=st.integers(0, 10_000))
def test_only_totals_of_fifty_cents_or_more_are_chargeable(total: int) -> None:
    totals = Totals(total, 0, 0, total)
    if total < STRIPE_MINIMUM_CHARGE_CENTS:
        with pytest.raises(BelowMinimumCharge):
            ensure_chargeable(totals)
    else:
        ensure_chargeable(totals)
