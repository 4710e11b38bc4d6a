"""What the dashboard shows for a period (through the facade), and its chart grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from shopora.models.base import utcnow
from shopora.services.admin_orders import OrderRow
from shopora.services.analytics import ActionQueue, DateRange
from shopora.services.dashboard import Dashboard
from shopora.ui.facade import ops
from shopora.ui.ops import charts

QUEUE_ROWS = 5
REFRESH_SECONDS = 5  # a paid order reaches the queue within this (the brief: 10 s)


def load(period: DateRange) -> Dashboard:
    """Every number on the dashboard, read from the rollups by one service call (the queue
    is also read on its own, every few seconds, by `queue`)."""
    return ops.dashboard(period)


def queue() -> ActionQueue:
    return ops.action_queue(QUEUE_ROWS)


def newest_unfulfilled() -> OrderRow | None:
    return ops.newest_unfulfilled()


def partial_day(period: DateRange) -> date | None:
    """Today, when the period reaches it: its numbers are still growing."""
    today = utcnow().date()
    return today if period.start.date() <= today < period.end.date() else None


def show_charts(board: Dashboard) -> None:
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Revenue and paid orders per day**")
        daily = charts.revenue_and_orders(board.by_day, board.partial_day)
        st.plotly_chart(daily, key="dash_chart_daily")
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
