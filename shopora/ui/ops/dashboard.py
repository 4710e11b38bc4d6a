"""What the dashboard shows for a period (one service call) and its chart grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from shopora.db import session_scope
from shopora.services.analytics import DateRange
from shopora.services.dashboard import Dashboard, dashboard
from shopora.ui.ops import charts

__all__ = ["Dashboard", "load", "show_charts"]


def load(period: DateRange) -> Dashboard:
    """Every number on the dashboard, read from the rollups by one service call."""
    with session_scope() as session:
        return dashboard(session=session, period=period)


def show_charts(board: Dashboard) -> None:
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Revenue and paid orders per day**")
        st.plotly_chart(charts.revenue_and_orders(board.by_day), key="dash_chart_daily")
    with right.container(border=True):
        st.markdown("**Orders placed, by status now**")
        st.plotly_chart(charts.status_bars(board.by_status), key="dash_chart_status")
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Revenue by category** · goods before discounts and shipping")
        _chart_or_note(board.by_category, charts.category_bars, "dash_chart_categories")
    with right.container(border=True):
        st.markdown("**Top products** · by goods revenue")
        _chart_or_note(board.top, charts.top_products_bars, "dash_chart_products")


def _chart_or_note(rows: Sequence[Any], figure: Callable[[Any], Any], key: str) -> None:
    if not rows:
        st.caption("No sales in this period.")
        return
    st.plotly_chart(figure(rows), key=key)
