"""What the dashboard shows for a period, read in one session, and its chart grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from shopora.db import session_scope
from shopora.models.base import utcnow
from shopora.services import analytics
from shopora.services.analytics import (
    ActionQueue,
    CategoryRevenue,
    DateRange,
    DayPoint,
    Kpis,
    ProductSales,
)
from shopora.ui.ops import charts

QUEUE_ROWS = 8


@dataclass(frozen=True)
class Dashboard:
    kpis: Kpis
    queue: ActionQueue
    by_day: list[DayPoint]
    by_category: list[CategoryRevenue]
    top: list[ProductSales]
    by_status: dict[str, int]


def load(period: DateRange) -> Dashboard:
    """Every number on the dashboard, aggregated by the analytics service."""
    with session_scope() as session:
        return Dashboard(
            kpis=analytics.kpis(session=session, period=period, compare=True),
            queue=analytics.action_queue(session=session, now=utcnow(), limit=QUEUE_ROWS),
            by_day=analytics.revenue_by_day(session=session, period=period),
            by_category=analytics.revenue_by_category(session=session, period=period),
            top=analytics.top_products(session=session, period=period, limit=8),
            by_status=analytics.orders_by_status(session=session, period=period),
        )


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
