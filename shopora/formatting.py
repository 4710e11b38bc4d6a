"""Cents to "$12.34": used at the edges only (UI and API), never for arithmetic."""

from __future__ import annotations

SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}


def money(cents: int | None, currency: str = "usd") -> str:
    if cents is None:
        return "—"
    sign = "−" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{SYMBOLS.get(currency.lower(), currency.upper() + ' ')}{whole:,}.{rest:02d}"
