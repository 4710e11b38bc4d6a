"""Contrast of the operator pages' badges, pills and captions, computed from the theme
(.streamlit/config.toml, whose badge pairs tests/ui/test_theme.py also checks) and the
colours the ops components use: WCAG AA wants 4.5:1."""

from __future__ import annotations

import tomllib

import pytest

from shopora.config import ROOT
from shopora.ui.ops.order_table import ORDER_TINTS, PAYMENT_TINTS
from shopora.ui.theme import CAPTION_COLOR

AA = 4.5
THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
BADGES = ("red", "orange", "yellow", "blue", "green", "violet", "gray")


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_measure_matches_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", BADGES)
def test_a_badge_reads_at_aa_on_its_own_tint_and_on_the_page(name: str) -> None:
    text = THEME[f"{name}TextColor"]

    assert contrast(text, THEME[f"{name}BackgroundColor"]) >= AA
    assert contrast(text, THEME["backgroundColor"]) >= AA
    assert contrast(text, THEME["secondaryBackgroundColor"]) >= AA


@pytest.mark.parametrize("tint", [*ORDER_TINTS.values(), *PAYMENT_TINTS.values()])
def test_a_status_pill_in_the_orders_table_reads_at_aa(tint: str) -> None:
    # The grid writes black on a pill whose luminance is over 0.5 (white otherwise).
    assert luminance(tint) > 0.5
    assert contrast("#000000", tint) >= AA


def test_captions_read_at_aa_on_the_page_and_in_the_sidebar() -> None:
    assert contrast(CAPTION_COLOR, THEME["backgroundColor"]) >= AA
    assert contrast(CAPTION_COLOR, THEME["secondaryBackgroundColor"]) >= AA
