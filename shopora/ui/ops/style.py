"""Styling Streamlit has no theme option for, on the operator pages only.

- Captions: Streamlit draws them in the text colour at 60 % opacity (about 4.3:1 on white,
  under WCAG AA's 4.5:1); here they get a solid grey at 6.6:1.
- Space: the title starts lower than the first screen can spare, and a row of six metric
  cards only fits at 1366 px with a smaller figure.
"""

from __future__ import annotations

import streamlit as st

CAPTION_COLOUR = "#585d6b"  # 6.6:1 on white, 6.1:1 on the sidebar's #f5f6fb
CAPTIONS = (
    '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p '
    f"{{ color: {CAPTION_COLOUR}; opacity: 1; }}"
)
TOP = '[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }'
METRICS = '[data-testid="stMetricValue"] { font-size: 1.6rem; }'


def console_style(*, compact_metrics: bool = False) -> None:
    rules = [CAPTIONS, TOP] + ([METRICS] if compact_metrics else [])
    st.html(f"<style>{' '.join(rules)}</style>")
