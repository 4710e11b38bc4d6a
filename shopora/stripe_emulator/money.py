"""Currencies, minimum charges and money formatting (amounts are integer minor units)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL = frozenset(
    ("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
     "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf")
)  # fmt: skip
CURRENCIES = frozenset(
    ("usd", "aed", "aud", "bgn", "brl", "cad", "chf", "clp", "cny", "czk", "dkk", "eur",
     "gbp", "hkd", "huf", "idr", "ils", "inr", "isk", "jpy", "krw", "mxn", "myr", "nok",
     "nzd", "php", "pln", "ron", "sek", "sgd", "thb", "try", "twd", "vnd", "zar")
)  # fmt: skip
_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cad": "CA$", "aud": "A$", "inr": "₹"}
# Stripe's minimum charge amounts in minor units (docs.stripe.com/currencies, "Minimum").
_MINIMUMS = {"usd": 50, "eur": 50, "gbp": 30, "cad": 50, "aud": 50, "chf": 50, "jpy": 50}
MAXIMUM_AMOUNT = 99_999_999  # Stripe: amounts up to 8 digits


def minimum_amount(currency: str) -> int:
    return _MINIMUMS.get(currency, 50)


def format_money(amount: int, currency: str) -> str:
    """12345, "usd" -> "$123.45"; 1500, "jpy" -> "¥1,500"."""
    sign = "-" if amount < 0 else ""
    if currency in ZERO_DECIMAL:
        number = f"{abs(amount):,}"
    else:
        units, cents = divmod(abs(amount), 100)
        number = f"{units:,}.{cents:02d}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency.upper()} {number}"


def percent_of(amount: int, percent: Decimal) -> int:
    """Round half up to the minor unit, as Stripe rounds percentage discounts."""
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_proportionally(total: int, weights: list[int]) -> list[int]:
    """Share `total` across weights; the largest remainders get the leftover units."""
    whole = sum(weights)
    if whole == 0 or total == 0:
        return [0 for _ in weights]
    exact = [Decimal(total) * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares
