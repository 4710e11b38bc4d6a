"""Plotly figures for the dashboard and analytics pages, built from the services' small,
already-aggregated results. Amounts are plotted in dollars (a chart axis needs numbers);
every label and hover shows the amount through `format.money`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from shopora.formatting import to_major
from shopora.services.analytics import (
    CategoryRevenue,
    CategoryShare,
    DayPoint,
    Funnel,
    ProductSales,
    TrendPoint,
)
from shopora.ui.format import currency_symbol, label, money

PALETTE = ("#4C6EF5", "#F59F00", "#12B886", "#E64980", "#7950F2", "#15AABF", "#868E96")
STATUS_COLOURS = {
    "pending": "#F59F00",
    "paid": "#4C6EF5",
    "processing": "#7950F2",
    "shipped": "#15AABF",
    "delivered": "#12B886",
    "cancelled": "#ADB5BD",
}


def money_axis() -> dict[str, str]:
    """Axis ticks in whole units of the shop's currency (the bars hold to_major amounts)."""
    return {"tickprefix": currency_symbol(), "tickformat": ",.0f", "rangemode": "tozero"}


def _dollars(cents: int) -> float:
    """For plotting only; never used for arithmetic or shown as text."""
    return float(to_major(cents))


def _revenue_bars(days: Sequence[object], cents: Sequence[int], color: str) -> go.Figure:
    """A figure with revenue per day as bars, hovering as money."""
    fig = go.Figure()
    fig.add_bar(
        x=list(days),
        y=[_dollars(c) for c in cents],
        name="Revenue",
        customdata=[money(c) for c in cents],
        hovertemplate="%{customdata}<extra>Revenue</extra>",
        marker_color=color,
    )
    return fig


def _layout(fig: go.Figure, *, height: int = 320, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 32, "b": 8},
        showlegend=legend,
        legend={"orientation": "h", "y": 1.12, "x": 0},
        hovermode="x unified" if legend else "closest",
        colorway=PALETTE,
    )
    return fig


def revenue_and_orders(points: Sequence[DayPoint]) -> go.Figure:
    """Revenue bars and paid orders as a line on a second axis, per day."""
    days = [p.day for p in points]
    fig = _revenue_bars(days, [p.revenue_cents for p in points], PALETTE[0])
    fig.add_scatter(
        x=days,
        y=[p.orders for p in points],
        name="Paid orders",
        yaxis="y2",
        mode="lines+markers",
        hovertemplate="%{y}<extra>Paid orders</extra>",
        line={"color": PALETTE[1], "width": 2},
    )
    fig.update_layout(
        yaxis={"title": None, **money_axis()},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickformat": ",d",
            "title": None,
        },
    )
    return _layout(fig)


def _hbar(names: list[str], cents: list[int], extra: list[str], colour: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[_dollars(c) for c in cents],
            y=names,
            orientation="h",
            text=[money(c) for c in cents],
            textposition="auto",
            customdata=extra,
            hovertemplate="%{y}: %{text} · %{customdata}<extra></extra>",
            marker_color=colour,
        )
    )
    fig.update_layout(
        xaxis={"title": None, **money_axis()},
        yaxis={"autorange": "reversed", "title": None},
    )
    return _layout(fig, legend=False, height=max(220, 36 * len(names) + 60))


def category_bars(rows: Sequence[CategoryRevenue]) -> go.Figure:
    return _hbar(
        [r.category for r in rows],
        [r.revenue_cents for r in rows],
        [f"{r.units} units" for r in rows],
        PALETTE[2],
    )


def top_products_bars(rows: Sequence[ProductSales]) -> go.Figure:
    return _hbar(
        [r.name for r in rows],
        [r.revenue_cents for r in rows],
        [f"{r.units} units" for r in rows],
        PALETTE[0],
    )


def status_bars(counts: dict[str, int]) -> go.Figure:
    statuses = list(counts)
    fig = go.Figure(
        go.Bar(
            x=[label(s) for s in statuses],
            y=[counts[s] for s in statuses],
            text=[counts[s] for s in statuses],
            textposition="auto",
            marker_color=[STATUS_COLOURS.get(s, PALETTE[-1]) for s in statuses],
            hovertemplate="%{x}: %{y} orders<extra></extra>",
        )
    )
    fig.update_layout(yaxis={"title": None, "rangemode": "tozero"})
    return _layout(fig, legend=False)


def revenue_trend(points: Sequence[TrendPoint], window: int) -> go.Figure:
    """Daily revenue with its trailing moving average."""
    days = [p.day for p in points]
    fig = _revenue_bars(days, [p.revenue_cents for p in points], "#BAC8FF")
    fig.add_scatter(
        x=days,
        y=[_dollars(p.moving_average_cents) for p in points],
        name=f"{window}-day average",
        mode="lines",
        customdata=[money(p.moving_average_cents) for p in points],
        hovertemplate="%{customdata}<extra>" + f"{window}-day average</extra>",
        line={"color": PALETTE[0], "width": 3},
    )
    fig.update_layout(yaxis={"title": None, **money_axis()})
    return _layout(fig)


def aov_trend(points: Sequence[TrendPoint]) -> go.Figure:
    """Average order value per day; days without orders are gaps, not zeros."""
    sold = [p for p in points if p.orders]
    fig = go.Figure(
        go.Scatter(
            x=[p.day for p in sold],
            y=[_dollars(p.aov_cents) for p in sold],
            mode="lines+markers",
            customdata=[f"{money(p.aov_cents)} · {p.orders} orders" for p in sold],
            hovertemplate="%{customdata}<extra>AOV</extra>",
            line={"color": PALETTE[4], "width": 2},
        )
    )
    fig.update_layout(yaxis={"title": None, **money_axis()})
    return _layout(fig, legend=False)


def category_mix(shares: Sequence[CategoryShare]) -> go.Figure:
    """Goods revenue per category per bucket, stacked bars."""
    categories = list(dict.fromkeys(s.category for s in shares))
    fig = go.Figure()
    for name in categories:
        rows = [s for s in shares if s.category == name]
        buckets: list[date] = [s.bucket_start for s in rows]
        fig.add_bar(
            x=buckets,
            y=[_dollars(s.revenue_cents) for s in rows],
            name=name,
            customdata=[f"{money(s.revenue_cents)} · {s.units} units" for s in rows],
            hovertemplate="%{customdata}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.15, yaxis={"title": None, **money_axis()})
    return _layout(fig, height=360)


def funnel(steps: Funnel) -> go.Figure:
    """In shoppers, one unit all the way down: with a cart → placed an order → paid."""
    fig = go.Figure(
        go.Funnel(
            y=["With a cart", "Placed an order", "Paid"],
            x=[steps.carts_with_items, steps.ordering_customers, steps.paying_customers],
            textinfo="value+percent initial",
            marker={"color": [PALETTE[5], PALETTE[1], PALETTE[2]]},
            hovertemplate="%{y}: %{x} shoppers<extra></extra>",
        )
    )
    return _layout(fig, legend=False, height=280)
