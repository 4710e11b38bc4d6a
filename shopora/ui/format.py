"""Formatting for people: money (the shop's currency, via shopora.formatting), dates, statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopora.formatting import currency_symbol, money
from shopora.services.shop_days import shop_zone

__all__ = [
    "money",
    "currency_symbol",
    "label",
    "badge",
    "when",
    "age",
    "stock_badge",
    "STATUS_COLORS",
]

STATUS_COLORS = {
    "pending": "orange",
    "paid": "blue",
    "processing": "violet",
    "shipped": "blue",
    "delivered": "green",
    "cancelled": "gray",
    "unpaid": "orange",
    "partially_refunded": "orange",
    "refunded": "gray",
}


def label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def badge(status: str) -> str:
    """Markdown badge, e.g. :green-badge[Delivered]."""
    return f":{STATUS_COLORS.get(status, 'gray')}-badge[{label(status)}]"


def when(moment: datetime | None) -> str:
    """A moment in the shop's time zone (SHOP_TIMEZONE, the one its days are counted in),
    named, e.g. "Dec 06, 2026 09:26 CET"."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(shop_zone())
    return f"{local:%b %d, %Y %H:%M} {local.tzname() or 'UTC'}"


def age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(int(delta.total_seconds() // 60), 0)} min"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} days"


def stock_badge(available: int, threshold: int) -> str:
    if available <= 0:
        return ":gray-badge[Sold out]"
    if available <= threshold:
        return f":orange-badge[Only {available} left]"
    return ":green-badge[In stock]"
