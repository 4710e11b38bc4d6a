"""The hosted page's card form: field validation and Stripe's test card outcomes.

Numbers and messages follow docs.stripe.com/testing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

CARD_FIELDS = ("cardNumber", "cardExpiry", "cardCvc")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EXPIRY = re.compile(r"^(\d{1,2})\s*/?\s*(\d{2}|\d{4})$")


@dataclass(frozen=True)
class KnownCard:
    number: str
    brand: str
    label: str
    funding: str = "credit"
    country: str = "US"


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str


@dataclass(frozen=True)
class Card:
    number: str
    brand: str
    exp_month: int
    exp_year: int
    funding: str
    country: str

    @property
    def last4(self) -> str:
        return self.number[-4:]


@dataclass(frozen=True)
class Payer:
    email: str
    name: str | None
    postal_code: str
    country: str


SUCCESS_CARDS = (
    KnownCard("4242424242424242", "visa", "Visa"),
    KnownCard("4000056655665556", "visa", "Visa (debit)", "debit"),
    KnownCard("5555555555554444", "mastercard", "Mastercard"),
    KnownCard("2223003122003222", "mastercard", "Mastercard (2-series)"),
    KnownCard("5200828282828210", "mastercard", "Mastercard (debit)", "debit"),
    KnownCard("378282246310005", "amex", "American Express"),
    KnownCard("6011111111111117", "discover", "Discover"),
    KnownCard("3056930009020004", "diners", "Diners Club"),
    KnownCard("3566002020360505", "jcb", "JCB", country="JP"),
    KnownCard("6200000000000005", "unionpay", "UnionPay", country="CN"),
)
_DECLINED = "Your card was declined."
DECLINE_CARDS = {
    "4000000000000002": Decline("card_declined", "generic_decline", _DECLINED),
    "4000000000009995": Decline(
        "card_declined", "insufficient_funds", "Your card has insufficient funds."
    ),
    "4000000000009987": Decline("card_declined", "lost_card", _DECLINED),
    "4000000000009979": Decline("card_declined", "stolen_card", _DECLINED),
    "4000000000000069": Decline("expired_card", "expired_card", "Your card has expired."),
    "4000000000000127": Decline(
        "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."
    ),
    "4000000000000119": Decline(
        "processing_error",
        "processing_error",
        "An error occurred while processing your card. Try again in a little bit.",
    ),
}
LIVE_CARD = Decline(
    "card_declined",
    "test_mode_live_card",
    "Your card was declined. Your request was in test mode, but used a non test card. "
    "For a list of valid test cards, visit: https://stripe.com/docs/testing.",
)
_BY_NUMBER = {card.number: card for card in SUCCESS_CARDS}


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def brand_of(number: str) -> str:
    prefixes = (
        ("amex", ("34", "37")),
        ("diners", ("30", "36", "38")),
        ("jcb", ("35",)),
        ("discover", ("6011", "65", "644", "645", "646", "647", "648", "649")),
        ("unionpay", ("62",)),
        ("visa", ("4",)),
        ("mastercard", ("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27")),
    )
    for brand, starts in prefixes:
        if number.startswith(starts):
            return brand
    return "unknown"


def read_payer(form: Mapping[str, str]) -> tuple[Payer, dict[str, str]]:
    """The customer's contact fields, and an error message per invalid field."""
    errors: dict[str, str] = {}
    email = form.get("email", "").strip()
    if not email:
        errors["email"] = "Your email is incomplete."
    elif not _EMAIL.match(email):
        errors["email"] = "Your email address is invalid."
    postal = form.get("billingPostalCode", "").strip()
    if not postal:
        errors["billingPostalCode"] = "Your postal code is incomplete."
    name = form.get("billingName", "").strip() or None
    country = form.get("billingCountry", "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        country = "US"
    return Payer(email, name, postal, country), errors


def read_card(form: Mapping[str, str], today: date) -> tuple[Card | None, dict[str, str]]:
    """The card fields as Stripe's card element checks them, before any charge attempt."""
    errors: dict[str, str] = {}
    number = re.sub(r"[\s-]", "", form.get("cardNumber", ""))
    if not number.isdigit() or len(number) < 12:
        errors["cardNumber"] = "Your card number is incomplete."
    elif len(number) > 19 or not luhn_ok(number):
        errors["cardNumber"] = "Your card number is invalid."
    expiry, expiry_error = _read_expiry(form.get("cardExpiry", ""), today)
    if expiry_error:
        errors["cardExpiry"] = expiry_error
    cvc = form.get("cardCvc", "").strip()
    if not re.fullmatch(r"\d{3,4}", cvc):
        errors["cardCvc"] = "Your card's security code is incomplete."
    if errors or expiry is None:
        return None, errors
    test = _BY_NUMBER.get(number)
    brand = test.brand if test else brand_of(number)
    funding, country = (test.funding, test.country) if test else ("credit", "US")
    return Card(number, brand, expiry[0], expiry[1], funding, country), {}


def _read_expiry(raw: str, today: date) -> tuple[tuple[int, int] | None, str | None]:
    match = _EXPIRY.match(raw.strip())
    if not match:
        return None, "Your card's expiration date is incomplete."
    month, year = int(match.group(1)), int(match.group(2))
    year += 2000 if year < 100 else 0
    if not 1 <= month <= 12:
        return None, "Your card's expiration date is invalid."
    if year < today.year:
        return None, "Your card's expiration year is in the past."
    if (year, month) < (today.year, today.month):
        return None, "Your card's expiration date is in the past."
    return (month, year), None


def outcome(card: Card) -> Decline | None:
    """None when the charge succeeds; the decline Stripe gives for this test number."""
    if card.number in _BY_NUMBER:
        return None
    return DECLINE_CARDS.get(card.number, LIVE_CARD)
