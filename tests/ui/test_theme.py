"""Readable colours: every badge and coloured-text pair of the theme, and the caption colour,
meet WCAG AA (4.5:1 for normal text), computed from the shipped config."""

from __future__ import annotations

import tomllib

import pytest

from shopora.config import ROOT
from shopora.ui.theme import AA_NORMAL_TEXT, CAPTION_COLOR, contrast_ratio

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
HUES = ["green", "orange", "blue", "violet", "gray", "red", "yellow"]


def test_the_contrast_maths_matches_wcags_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("hue", HUES)
def test_a_badge_reads_at_aa_contrast(hue: str) -> None:
    # "Paid", "Processing", "4 left": <hue>TextColor on <hue>BackgroundColor
    ratio = contrast_ratio(THEME[f"{hue}TextColor"], THEME[f"{hue}BackgroundColor"])
    assert ratio >= AA_NORMAL_TEXT, f"{hue} badge is {ratio:.2f}:1"


@pytest.mark.parametrize("hue", HUES)
def test_coloured_text_reads_at_aa_contrast_on_both_backgrounds(hue: str) -> None:
    for background in (THEME["backgroundColor"], THEME["secondaryBackgroundColor"]):
        assert contrast_ratio(THEME[f"{hue}TextColor"], background) >= AA_NORMAL_TEXT


def test_captions_read_at_aa_contrast_on_both_backgrounds() -> None:
    for background in (THEME["backgroundColor"], THEME["secondaryBackgroundColor"]):
        assert contrast_ratio(CAPTION_COLOR, background) >= AA_NORMAL_TEXT
