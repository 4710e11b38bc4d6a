"""The analytics page's sections: each reads one service result and shows a chart and/or a
table with its CSV. Numbers come from the rollups (shopora.services.insights); nothing is
recomputed here."""

from __future__ import annotations

from typing import cast

import pandas as pd
import streamlit as st

from shopora.db import session_scope
from shopora.services import analytics_rollups_ops
from shopora.services.analytics import (
    CategoryRevenue,
    CategoryShare,
    DateRange,
    DiscountImpact,
    FulfilmentSpeed,
    Funnel,
    ProductSales,
    RefundRate,
    TrendPoint,
)
from shopora.services.analytics_trends import Bucket
from shopora.services.insights import WINDOW, Insights, insights
from shopora.ui.format import money
from shopora.ui.ops import charts
from shopora.ui.ops.tables import download, raw_frame, show_table


def load(period: DateRange) -> Insights:
    """Every analytics number for the period, read from the rollups by one service call."""
    with session_scope() as session:
        return insights(session=session, period=period, window=WINDOW)


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def trend_section(points: list[TrendPoint]) -> None:
    st.plotly_chart(charts.revenue_trend(points, WINDOW), key="an_chart_trend")
    st.markdown("**Average order value per day**")
    st.plotly_chart(charts.aov_trend(points), key="an_chart_aov")
    shown = pd.DataFrame(
        {
            "Day": [p.day for p in points],
            "Revenue": [money(p.revenue_cents) for p in points],
            "Paid orders": [p.orders for p in points],
            f"{WINDOW}-day average": [money(p.moving_average_cents) for p in points],
            "AOV": [money(p.aov_cents) if p.orders else "—" for p in points],
        }
    )
    with st.expander("Daily figures", icon=":material/table:"):
        show_table(shown, key="an_trend", csv=raw_frame(points), height=300)


def load_mix(period: DateRange, bucket: Bucket) -> list[CategoryShare]:
    with session_scope() as session:
        return analytics_rollups_ops.category_mix(session=session, period=period, bucket=bucket)


def mix_section(period: DateRange) -> None:
    bucket = st.segmented_control(
        "Group by",
        options=["day", "week"],
        format_func=str.capitalize,
        default="week" if len(period.days()) > 31 else "day",
        required=True,
        key="analytics_bucket",
    )
    shares = load_mix(period, cast(Bucket, bucket or "week"))
    if not shares:
        st.caption("No sales in this period.")
        return
    st.plotly_chart(charts.category_mix(shares), key="an_chart_mix")
    shown = pd.DataFrame(
        {
            "From": [s.bucket_start for s in shares],
            "Category": [s.category for s in shares],
            "Revenue": [money(s.revenue_cents) for s in shares],
            "Units": [s.units for s in shares],
        }
    )
    with st.expander("Figures per category", icon=":material/table:"):
        show_table(shown, key="an_mix", csv=raw_frame(shares), height=300)


def categories_table(rows: list[CategoryRevenue]) -> None:
    shown = pd.DataFrame(
        {
            "Category": [r.category for r in rows],
            "Revenue": [money(r.revenue_cents) for r in rows],
            "Units": [r.units for r in rows],
        }
    )
    show_table(shown, key="an_categories", csv=raw_frame(rows))


def products_table(rows: list[ProductSales]) -> None:
    shown = pd.DataFrame(
        {
            "Product": [r.name for r in rows],
            "SKU": [r.sku for r in rows],
            "Units": [r.units for r in rows],
            "Revenue": [money(r.revenue_cents) for r in rows],
        }
    )
    show_table(shown, key="an_products", csv=raw_frame(rows))


def discounts_table(rows: list[DiscountImpact]) -> None:
    shown = pd.DataFrame(
        {
            "Code": [r.code or "(no code)" for r in rows],
            "Orders": [r.orders for r in rows],
            "Discount given": [money(r.discount_cents) for r in rows],
            "Revenue": [money(r.revenue_cents) for r in rows],
            "AOV": [money(r.aov_cents) for r in rows],
        }
    )
    raw = raw_frame(rows).assign(aov_cents=[r.aov_cents for r in rows]) if rows else None
    show_table(shown, key="an_discounts", csv=raw)


def speed_section(speed: FulfilmentSpeed) -> None:
    left, right = st.columns(2)
    left.metric(
        "Paid → shipped (median)",
        hours(speed.paid_to_shipped_hours_median),
        help=f"Average {hours(speed.paid_to_shipped_hours_avg)} over "
        f"{speed.paid_to_shipped_samples} orders shipped in the period.",
        border=True,
    )
    right.metric(
        "Shipped → delivered (median)",
        hours(speed.shipped_to_delivered_hours_median),
        help=f"Average {hours(speed.shipped_to_delivered_hours_avg)} over "
        f"{speed.shipped_to_delivered_samples} orders delivered in the period.",
        border=True,
    )
    st.caption(
        f"Averages: {hours(speed.paid_to_shipped_hours_avg)} to ship "
        f"({speed.paid_to_shipped_samples} orders), "
        f"{hours(speed.shipped_to_delivered_hours_avg)} to deliver "
        f"({speed.shipped_to_delivered_samples} orders)."
    )
    download(raw_frame([speed]), key="an_speed")


def funnel_section(steps: Funnel) -> None:
    st.plotly_chart(charts.funnel(steps), key="an_chart_funnel")
    st.caption(
        f"Shoppers in the period. In orders: {steps.pending_orders} placed → "
        f"{steps.paid_orders} paid."
    )
    shown = pd.DataFrame(
        {
            "Step": ["With a cart", "Placed an order", "Paid"],
            "Shoppers": [
                steps.carts_with_items,
                steps.ordering_customers,
                steps.paying_customers,
            ],
            "Orders": [None, steps.pending_orders, steps.paid_orders],
        }
    )
    show_table(shown, key="an_funnel", csv=raw_frame([steps]))


def refunds_section(rate: RefundRate) -> None:
    left, right = st.columns(2)
    left.metric(
        "Refund rate",
        f"{rate.rate:.1%}",
        help="Of the orders paid in the period, the share refunded since (in part or in full).",
        border=True,
    )
    right.metric("Refunded amount", money(rate.refunded_cents), border=True)
    st.caption(
        f"{rate.refunded_orders} of the {rate.paid_orders} orders paid in the period were "
        f"refunded since, {rate.fully_refunded_orders} of them in full."
    )
    download(raw_frame([rate]), key="an_refunds")
