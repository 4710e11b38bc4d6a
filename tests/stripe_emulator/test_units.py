"""The pure pieces: form parsing, money, cards and signatures."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest
import stripe

from shopora.stripe_emulator.cards import luhn_ok, outcome, read_card
from shopora.stripe_emulator.errors import StripeError
from shopora.stripe_emulator.money import format_money, percent_of, split_proportionally
from shopora.stripe_emulator.params import Params, parse_form
from shopora.stripe_emulator.webhooks import signature_header


def test_bracketed_keys_become_nested_hashes_and_indexed_arrays() -> None:
    parsed = parse_form(
        "line_items[0][price_data][unit_amount]=1500&line_items[0][quantity]=2"
        "&metadata[order_id]=42&expand%5B0%5D=line_items&expand[]=payment_intent"
    )

    assert parsed == {
        "line_items": {"0": {"price_data": {"unit_amount": "1500"}, "quantity": "2"}},
        "metadata": {"order_id": "42"},
        "expand": {"0": "line_items", "1": "payment_intent"},
    }
    params = Params(parsed)
    assert params.strings("expand") == ["line_items", "payment_intent"]
    items = params.children("line_items")
    assert items is not None and items[0].need_integer("quantity") == 2


def test_a_scalar_and_a_hash_under_one_key_is_an_error_naming_it() -> None:
    with pytest.raises(StripeError) as raised:
        parse_form("metadata=x&metadata[a]=b")

    assert raised.value.param == "metadata"


def test_empty_metadata_values_unset_the_key() -> None:
    assert Params(parse_form("metadata[a]=&metadata[b]=2")).metadata() == {"b": "2"}


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [(4699, "usd", "$46.99"), (-500, "usd", "-$5.00"), (123456789, "eur", "€1,234,567.89"),
     (1500, "jpy", "¥1,500"), (1050, "chf", "CHF 10.50")],
)  # fmt: skip
def test_money_is_formatted_per_currency(amount: int, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


def test_percentages_round_half_up_and_shares_add_up() -> None:
    assert percent_of(1005, Decimal(10)) == 101
    assert percent_of(1004, Decimal(10)) == 100
    assert percent_of(999, Decimal("12.5")) == 125  # 124.875
    assert split_proportionally(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(split_proportionally(499, [3000, 999, 1])) == 499


def test_luhn_and_test_card_outcomes() -> None:
    today = date(2030, 6, 1)
    assert luhn_ok("4242424242424242") and not luhn_ok("4242424242424241")
    card, errors = read_card({"cardNumber": "4000 0000 0000 9995", "cardExpiry": "06/30",
                              "cardCvc": "123"}, today)  # fmt: skip
    assert errors == {} and card is not None
    decline = outcome(card)
    assert decline is not None and decline.decline_code == "insufficient_funds"
    _, errors = read_card({"cardNumber": "4242424242424242", "cardExpiry": "05/30",
                           "cardCvc": "123"}, today)  # fmt: skip
    assert errors == {"cardExpiry": "Your card's expiration date is in the past."}


def test_signatures_verify_with_the_sdk() -> None:
    payload = '{"id": "evt_1", "object": "event"}'

    header = signature_header(payload, "whsec_abc", int(time.time()))

    assert stripe.WebhookSignature.verify_header(payload, header, "whsec_abc", tolerance=300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload, header, "whsec_other", tolerance=300)
