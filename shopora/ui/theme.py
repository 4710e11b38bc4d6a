"""Colours and the few CSS rules Streamlit's theme cannot express, with the WCAG contrast
maths that keeps them readable.

Badge and coloured-text colours live in .streamlit/config.toml ([theme] <colour>TextColor
on <colour>BackgroundColor); tests/ui/test_theme.py computes every pair's contrast from
that file. Captions are drawn in Streamlit's faded text colour (about 4.3:1 on white), so
CAPTION_COLOR replaces it here.
"""

from __future__ import annotations

import streamlit as st

CAPTION_COLOR = "#555b6e"  # 6.8:1 on white, 6.3:1 on the secondary background
AA_NORMAL_TEXT = 4.5

# Phone widths are Streamlit's own breakpoint for stacking columns.
PHONE = "@media (max-width: 640px)"
CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] small {{
  color: {CAPTION_COLOR};
}}
.st-key-shop_bar {{ flex-wrap: wrap; row-gap: 0; }}
[data-testid="stMainBlockContainer"]:has(.st-key-shop_bar) {{ padding-top: 3rem; }}
.st-key-shop_bar [data-testid="stPageLink"] a {{ padding: 0.15rem 0.5rem; }}
{PHONE} {{
  /* Below Streamlit's 3.75rem header (the sidebar chevron), not under it. */
  [data-testid="stMainBlockContainer"]:has(.st-key-shop_bar) {{ padding-top: 4rem; }}
  [data-testid="stHeadingWithActionElements"] h1 {{
    font-size: 1.75rem !important; padding: 0.25rem 0 0.5rem 0 !important;
  }}
  /* The bar in one row: only the cart keeps its icon. */
  .st-key-shop_bar a:not([href$="cart"]) > span:has(> [data-testid="stIconMaterial"]) {{
    display: none;
  }}
  /* Two products per row: the grid's rows wrap at half width instead of stacking. */
  .st-key-shop_grid [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; gap: 0.5rem; }}
  .st-key-shop_grid [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    width: calc(50% - 0.25rem) !important; flex: 1 1 calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important;
  }}
  /* A tile's own row (quantity, Add to cart): only the button, full width. */
  .st-key-shop_grid [data-testid="stColumn"] [data-testid="stColumn"]:has([class*="_qty"]) {{
    display: none;
  }}
  .st-key-shop_grid [data-testid="stColumn"] [data-testid="stHorizontalBlock"]
    > [data-testid="stColumn"] {{ width: 100% !important; min-width: 100% !important; }}
  /* A cart line in two short rows: thumbnail | name, then quantity | total. */
  .st-key-cart_lines [data-testid="stHorizontalBlock"] {{
    display: grid; grid-template-columns: 64px 1fr 1fr; gap: 0.25rem 0.75rem;
    grid-template-areas: "pic about about" "pic qty total";
  }}
  .st-key-cart_lines [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    width: auto !important; min-width: 0 !important;
  }}
  .st-key-cart_lines [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(1) {{
    grid-area: pic; }}
  .st-key-cart_lines [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(2) {{
    grid-area: about; }}
  .st-key-cart_lines [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(3) {{
    grid-area: qty; }}
  .st-key-cart_lines [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(4) {{
    grid-area: total; }}
}}
</style>
"""


def apply() -> None:
    """The CSS above, once per page run (a style-only st.html takes no space)."""
    st.html(CSS)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb"."""
    digits = hex_colour.lstrip("#")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)))[::-1]
    return (light + 0.05) / (dark + 0.05)
