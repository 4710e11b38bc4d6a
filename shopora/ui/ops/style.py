"""Spacing Streamlit has no option for, on the operator pages only (captions and badges are
made readable for every page by shopora.ui.theme and the [theme] in .streamlit/config.toml).

The title starts lower than the first screen can spare, and a row of six metric cards only
fits at 1366 px with a smaller figure.
"""

from __future__ import annotations

import streamlit as st

TOP = '[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }'
METRICS = '[data-testid="stMetricValue"] { font-size: 1.6rem; }'


def console_style(*, compact_metrics: bool = False) -> None:
    rules = [TOP] + ([METRICS] if compact_metrics else [])
    st.html(f"<style>{' '.join(rules)}</style>")
