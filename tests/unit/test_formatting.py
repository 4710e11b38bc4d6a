"""Money reads in the shop's currency and locale, in Stripe's minor units for that currency."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shopora.config import get_settings
from shopora.formatting import (
    column_format,
    currency_symbol,
    minor_unit_column,
    money,
    money_whole,
    to_major,
)


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set CURRENCY / SHOP_LOCALE on the returned monkeypatch; settings re-read each time."""
    monkeypatch.delenv("CURRENCY", raising=False)
    monkeypatch.delenv("SHOP_LOCALE", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def configure(shop: pytest.MonkeyPatch, currency: str, locale: str) -> None:
    shop.setenv("CURRENCY", currency)
    shop.setenv("SHOP_LOCALE", locale)
    get_settings.cache_clear()


def test_by_default_the_shop_reads_us_dollars(shop: pytest.MonkeyPatch) -> None:
    assert money(123456) == "$1,234.56"
    assert money(-500) == "-$5.00"
    assert money(None) == "—"
    assert currency_symbol() == "$"


@pytest.mark.parametrize(
    ("currency", "locale", "cents", "shown"),
    [
        ("eur", "en_US", 123456, "€1,234.56"),
        ("eur", "de_DE", 123456, "1.234,56\xa0€"),
        ("gbp", "en_GB", 999, "£9.99"),
        ("jpy", "ja_JP", 1500, "￥1,500"),  # zero-decimal: 1500 minor units are 1500 yen
        ("kwd", "en_US", 12345, "KWD12.345"),  # three-decimal
    ],
)
def test_an_amount_reads_in_the_shops_currency_and_locale(
    shop: pytest.MonkeyPatch, currency: str, locale: str, cents: int, shown: str
) -> None:
    configure(shop, currency, locale)

    assert money(cents) == shown


def test_a_stored_amount_keeps_the_currency_it_was_charged_in(shop: pytest.MonkeyPatch) -> None:
    configure(shop, "eur", "en_US")

    assert money(4999, "usd") == "$49.99"
    assert money(4999) == "€49.99"


def test_minor_units_become_major_units_exactly() -> None:
    assert str(to_major(1999, "usd")) == "19.99"
    assert str(to_major(1999, "jpy")) == "1999"
    assert str(to_major(1, "kwd")) == "0.001"


def test_a_csv_amount_column_names_its_currency_and_unit() -> None:
    assert minor_unit_column("total", "usd") == "total_usd_cents"
    assert minor_unit_column("total", "jpy") == "total_jpy"
    assert minor_unit_column("total", "kwd") == "total_kwd_minor"


@pytest.mark.parametrize(
    ("currency", "locale", "shown"),
    [("usd", "en_US", "$%.2f"), ("eur", "de_DE", "%.2f €"), ("jpy", "en_US", "¥%.0f")],
)
def test_a_table_column_shows_numbers_in_the_shops_currency(
    shop: pytest.MonkeyPatch, currency: str, locale: str, shown: str
) -> None:
    configure(shop, currency, locale)

    assert column_format() == shown


@pytest.mark.parametrize(
    ("currency", "locale", "cents", "shown"),
    [
        ("usd", "en_US", 1_607_826, "$16,078"),
        ("usd", "en_US", 1_607_850, "$16,079"),  # half up
        ("usd", "en_US", -1_607_850, "-$16,079"),
        ("eur", "de_DE", 1_607_826, "16.078\xa0€"),
        ("jpy", "en_US", 1_607_826, "¥1,607,826"),
    ],
)
def test_a_headline_figure_reads_in_whole_units(
    shop: pytest.MonkeyPatch, currency: str, locale: str, cents: int, shown: str
) -> None:
    configure(shop, currency, locale)

    assert money_whole(cents) == shown


def test_an_unknown_currency_or_locale_is_refused_at_start_up(shop: pytest.MonkeyPatch) -> None:
    shop.setenv("CURRENCY", "dollars")
    with pytest.raises(ValueError, match="CURRENCY"):
        get_settings()
    shop.setenv("CURRENCY", "usd")
    shop.setenv("SHOP_LOCALE", "xx_YY")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="SHOP_LOCALE"):
        get_settings()
