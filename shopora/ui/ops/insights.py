"""The analytics page's sections: each reads one service result and shows a chart and/or a
table with its CSV. Numbers come from the rollups (shopora.services.insights); nothing is
recomputed here."""

from __future__ import annotations

from datetime import date
from typing import cast

import pandas as pd
import streamlit as st

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
from shopora.services.insights import Insights
from shopora.ui.facade import ops
from shopora.ui.format import money
from shopora.ui.ops import charts
from shopora.ui.ops.tables import dollars, download, money_column, raw_frame, show_table

WINDOW = ops.TREND_WINDOW


def _revenue() -> dict[str, object]:
    return {"Revenue": money_column()}


def load(period: DateRange) -> Insights:
    """Every analytics number for the period, read from the rollups by one service call."""
    return ops.insights(period)


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def trend_section(points: list[TrendPoint], partial: date | None = None) -> None:
    st.plotly_chart(charts.revenue_trend(points, WINDOW, partial), key="an_chart_trend")
    st.markdown("**Average order value per day**")
    st.plotly_chart(charts.aov_trend(points), key="an_chart_aov")
    shown = pd.DataFrame(
        {
            "Day": [p.day for p in points],
            "Revenue": [dollars(p.revenue_cents) for p in points],
            "Paid orders": [p.orders for p in points],
            f"{WINDOW}-day average": [dollars(p.moving_average_cents) for p in points],
            "AOV": [dollars(p.aov_cents) for p in points],
        }
    )
    money = {name: money_column() for name in ("Revenue", f"{WINDOW}-day average", "AOV")}
    with st.expander("Daily figures", icon=":material/table:"):
        show_table(shown, key="an_trend", csv=raw_frame(points), height=300, column_config=money)


def load_mix(period: DateRange, bucket: Bucket) -> list[CategoryShare]:
    return ops.category_mix(period, bucket)


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
            "Revenue": [dollars(s.revenue_cents) for s in shares],
            "Units": [s.units for s in shares],
        }
    )
    with st.expander("Figures per category", icon=":material/table:"):
        show_table(
            shown,
            key="an_mix",
            csv=raw_frame(shares),
            height=300,
            column_config=_revenue(),
        )


def categories_table(rows: list[CategoryRevenue]) -> None:
    shown = pd.DataFrame(
        {
            "Category": [r.category for r in rows],
            "Revenue": [dollars(r.revenue_cents) for r in rows],
            "Units": [r.units for r in rows],
        }
    )
    show_table(shown, key="an_categories", csv=raw_frame(rows), column_config=_revenue())


def products_table(rows: list[ProductSales]) -> None:
    shown = pd.DataFrame(
        {
            "Product": [r.name for r in rows],
            "SKU": [r.sku for r in rows],
            "Units": [r.units for r in rows],
            "Revenue": [dollars(r.revenue_cents) for r in rows],
        }
    )
    show_table(shown, key="an_products", csv=raw_frame(rows), column_config=_revenue())


def discounts_table(rows: list[DiscountImpact]) -> None:
    shown = pd.DataFrame(
        {
            "Code": [r.code or "(no code)" for r in rows],
            "Orders": [r.orders for r in rows],
            "Discount given": [dollars(r.discount_cents) for r in rows],
            "Revenue": [dollars(r.revenue_cents) for r in rows],
            "AOV": [dollars(r.aov_cents) for r in rows],
        }
    )
    raw = raw_frame(rows).assign(aov_cents=[r.aov_cents for r in rows]) if rows else None
    money = {name: money_column() for name in ("Discount given", "Revenue", "AOV")}
    show_table(shown, key="an_discounts", csv=raw, column_config=money)


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
    """Orders only: a shopper count beside an order count would compare two units."""
    st.plotly_chart(charts.funnel(steps), key="an_chart_funnel")
    st.caption(
        f"Orders placed in the period and how many of them are paid now. "
        f"{steps.ordering_customers} shoppers placed them; {steps.paying_customers} paid."
    )
    placed = steps.pending_orders
    shown = pd.DataFrame(
        {
            "Step": ["Orders placed", "Paid"],
            "Orders": [placed, steps.paid_orders],
            "Of placed": [1.0 if placed else 0.0, steps.paid_orders / placed if placed else 0.0],
        }
    )
    show_table(
        shown,
        key="an_funnel",
        csv=raw_frame([steps]),
        column_config={"Of placed": st.column_config.NumberColumn(format="percent")},
    )


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
