"""Operators read moments in the shop's time zone, the one its days are counted in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from shopora.config import get_settings
from shopora.ui.format import when

MOMENT = datetime(2026, 12, 6, 8, 26, tzinfo=UTC)


@pytest.fixture
def shop_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def set_zone(zone: str) -> None:
        monkeypatch.setenv("SHOP_TIMEZONE", zone)
        get_settings.cache_clear()

    yield set_zone
    get_settings.cache_clear()


def test_a_utc_shop_shows_utc(shop_in: Callable[[str], None]) -> None:
    shop_in("UTC")
    assert when(MOMENT) == "Dec 06, 2026 08:26 UTC"


def test_a_berlin_shop_shows_its_own_clock_and_zone(shop_in: Callable[[str], None]) -> None:
    shop_in("Europe/Berlin")
    assert when(MOMENT) == "Dec 06, 2026 09:26 CET"


def test_nothing_is_a_dash() -> None:
    assert when(None) == "—"
