"""Minor units to "$12.34" / "12,34 €": used at the edges only (UI, API, messages), never for
arithmetic. Babel formats for the shop's locale (SHOP_LOCALE) in the shop's currency (CURRENCY)
unless a stored amount names its own currency."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_symbol

from shopora.config import get_settings

# Stripe's amounts are in the currency's smallest unit, which is not always ISO's:
# https://docs.stripe.com/currencies#zero-decimal and #three-decimal.
ZERO_DECIMAL = frozenset(
    ("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
     "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf")
)  # fmt: skip
THREE_DECIMAL = frozenset(("bhd", "jod", "kwd", "omr", "tnd"))


def shop_currency() -> str:
    """The shop's currency, lower case as Stripe writes it ("usd", "eur")."""
    return get_settings().currency.lower()


def minor_unit_exponent(currency: str | None = None) -> int:
    """Digits after the point in Stripe's minor unit: 2 for usd, 0 for jpy, 3 for kwd."""
    code = (currency or shop_currency()).lower()
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def to_major(minor: int, currency: str | None = None) -> Decimal:
    """1234 (usd) -> Decimal("12.34"); 1234 (jpy) -> Decimal("1234")."""
    return Decimal(int(minor)).scaleb(-minor_unit_exponent(currency))


def money(cents: int | None, currency: str | None = None) -> str:
    """An amount in minor units as people read it in the shop's locale; "—" for none."""
    if cents is None:
        return "—"
    code = (currency or shop_currency()).upper()
    return format_currency(to_major(cents, code), code, locale=get_settings().shop_locale)


def minor_unit_column(stem: str, currency: str | None = None) -> str:
    """A CSV header for integer amounts that names their unit: "revenue_eur_cents",
    "revenue_jpy" (zero-decimal: whole yen), "revenue_kwd_minor" (thousandths)."""
    code = (currency or shop_currency()).lower()
    suffix = {2: "_cents", 0: ""}.get(minor_unit_exponent(code), "_minor")
    return f"{stem}_{code}{suffix}"


def money_whole(cents: int, currency: str | None = None) -> str:
    """Rounded (half up) to whole units, for headline figures: 1_607_826 -> "$16,078"; the
    exact amount belongs beside it."""
    code = (currency or shop_currency()).upper()
    whole = to_major(cents, code).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    pattern = Locale.parse(get_settings().shop_locale).currency_formats["standard"].pattern
    return format_currency(
        whole, code, locale=get_settings().shop_locale, format=pattern.replace(".00", ""),
        currency_digits=False,
    )  # fmt: skip


def currency_symbol(currency: str | None = None) -> str:
    """ "$", "€", "CA$": for labels such as "Price (€)"."""
    code = (currency or shop_currency()).upper()
    return get_currency_symbol(code, locale=get_settings().shop_locale)


def column_format(currency: str | None = None) -> str:
    """A printf format for st.column_config.NumberColumn cells that hold to_major() amounts:
    "$%.2f" (en_US), "%.2f €" (de_DE), "¥%.0f" (jpy). Streamlit's "dollar" preset would show
    every currency as dollars."""
    code = (currency or shop_currency()).upper()
    number = f"%.{minor_unit_exponent(code)}f"
    symbol = currency_symbol(code)
    pattern = Locale.parse(get_settings().shop_locale).currency_formats["standard"].pattern
    return f"{number} {symbol}" if pattern.split(";")[0].endswith("¤") else f"{symbol}{number}"
