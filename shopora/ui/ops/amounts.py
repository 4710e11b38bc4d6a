"""Amounts people type ("12.34", "$1,200", "€15") turned into integer cents, and back."""

from __future__ import annotations

import re

from shopora.errors import ValidationFailed
from shopora.formatting import currency_symbol

_AMOUNT = re.compile(r"^(\d{1,9})(?:\.(\d{1,2}))?$")


def dollars_to_cents(text: str, *, field: str = "amount", allow_zero: bool = False) -> int:
    """'12.34' → 1234, '12' → 1200, '12.5' → 1250. No floats: the digits are read as text."""
    cleaned = text.strip().removeprefix(currency_symbol()).lstrip("$").replace(",", "").strip()
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValidationFailed("Enter an amount like 12.34.", field=field)
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    cents = int(whole) * 100 + int(fraction)
    if cents == 0 and not allow_zero:
        raise ValidationFailed("The amount must be more than zero.", field=field)
    return cents


def cents_to_text(cents: int | None) -> str:
    """1234 → '12.34', the inverse of dollars_to_cents for pre-filling an input."""
    if cents is None:
        return ""
    whole, rest = divmod(int(cents), 100)
    return f"{whole}.{rest:02d}"
