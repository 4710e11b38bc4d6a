"""Plotly figures for the dashboard and analytics pages, built from the services' small,
already-aggregated results. Amounts are plotted in whole units of the shop's currency (an
axis needs numbers); every label and hover shows the amount through `format.money`. Every
axis says what it counts and in which unit; today's bar is drawn as "so far", not as a
finished day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from shopora.formatting import shop_currency, to_major
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
PARTIAL = "Today so far"


def money_axis() -> dict[str, str]:
    """Axis ticks in whole units of the shop's currency (the bars hold to_major amounts)."""
    return {"tickprefix": currency_symbol(), "tickformat": ",.0f", "rangemode": "tozero"}


def _axis(title: str, **more: object) -> dict[str, object]:
    return {"title": {"text": title, "font": {"size": 12}}, **more}


def _count_axis(title: str, top: int, **more: object) -> dict[str, object]:
    """Whole numbers only: with small counts Plotly would tick 0.5 and print it as "1"."""
    steps = {"dtick": 1} if top <= 10 else {}
    return _axis(title, rangemode="tozero", tickformat=",d", **steps, **more)


def _money_axis(what: str = "Revenue") -> dict[str, object]:
    """A money axis titled with its unit: "Revenue (USD)"."""
    return _axis(f"{what} ({shop_currency().upper()})", **money_axis())


def _dollars(cents: int) -> float:
    """For plotting only; never used for arithmetic or shown as text."""
    return float(to_major(cents))


def _revenue_bars(
    days: Sequence[date], cents: Sequence[int], color: str, partial: date | None = None
) -> go.Figure:
    """Revenue per day as bars, hovering as money; the `partial` day (today) is hatched and
    labelled, so a half-finished day does not read as a drop."""
    fig = go.Figure()
    notes = [
        f"{money(c)} · {PARTIAL.lower()}" if d == partial else money(c)
        for d, c in zip(days, cents, strict=True)
    ]
    fig.add_bar(
        x=list(days),
        y=[_dollars(c) for c in cents],
        name="Revenue",
        customdata=notes,
        hovertemplate="%{customdata}<extra>Revenue</extra>",
        marker={
            "color": color,
            "pattern": {"shape": ["/" if d == partial else "" for d in days], "solidity": 0.4},
            "opacity": [0.55 if d == partial else 1.0 for d in days],
        },
    )
    if partial in days:
        fig.add_annotation(
            x=partial, y=1, yref="paper", text=PARTIAL, showarrow=False, font={"size": 11},
            xanchor="right", yanchor="bottom",
        )  # fmt: skip
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


def revenue_and_orders(points: Sequence[DayPoint], partial: date | None = None) -> go.Figure:
    """Revenue bars and paid orders as a line on a second axis, per day; the line's last
    step into the `partial` day is dotted."""
    days = [p.day for p in points]
    fig = _revenue_bars(days, [p.revenue_cents for p in points], PALETTE[0], partial)
    whole = [p for p in points if p.day != partial]
    fig.add_scatter(
        x=[p.day for p in whole],
        y=[p.orders for p in whole],
        name="Paid orders",
        yaxis="y2",
        mode="lines+markers",
        hovertemplate="%{y} paid orders<extra></extra>",
        line={"color": PALETTE[1], "width": 2},
    )
    if whole and len(whole) < len(points):
        last = [whole[-1], points[-1]]
        fig.add_scatter(
            x=[p.day for p in last], y=[p.orders for p in last], name=PARTIAL, yaxis="y2",
            mode="lines+markers", showlegend=False,
            hovertemplate="%{y} paid orders<extra></extra>",
            line={"color": PALETTE[1], "width": 2, "dash": "dot"},
        )  # fmt: skip
    fig.update_layout(
        xaxis=_axis("Day (UTC)"),
        yaxis=_money_axis(),
        yaxis2=_count_axis(
            "Paid orders",
            max((p.orders for p in points), default=0),
            overlaying="y",
            side="right",
            showgrid=False,
        ),
    )
    return _layout(fig)


def _hbar(
    names: list[str], cents: list[int], extra: list[str], colour: str, what: str
) -> go.Figure:
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
        xaxis=_money_axis("Goods revenue"),
        yaxis=_axis(what, autorange="reversed", automargin=True),
    )
    return _layout(fig, legend=False, height=max(240, 36 * len(names) + 80))


def category_bars(rows: Sequence[CategoryRevenue]) -> go.Figure:
    return _hbar(
        [r.category for r in rows],
        [r.revenue_cents for r in rows],
        [f"{r.units} units" for r in rows],
        PALETTE[2],
        "Category",
    )


def top_products_bars(rows: Sequence[ProductSales]) -> go.Figure:
    return _hbar(
        [r.name for r in rows],
        [r.revenue_cents for r in rows],
        [f"{r.units} units" for r in rows],
        PALETTE[0],
        "Product",
    )


def status_bars(counts: dict[str, int]) -> go.Figure:
    statuses = list(counts)
    fig = go.Figure(
        go.Bar(
            x=[label(s) for s in statuses],
            y=[counts[s] for s in statuses],
            text=[f"{counts[s]:,}" for s in statuses],
            textposition="outside",
            textangle=0,  # upright: a rotated "9" reads as "6"
            cliponaxis=False,
            marker_color=[STATUS_COLOURS.get(s, PALETTE[-1]) for s in statuses],
            hovertemplate="%{x}: %{y} orders<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis=_axis("Status now"),
        yaxis=_count_axis("Orders placed", max(counts.values(), default=0)),
    )
    return _layout(fig, legend=False)


def revenue_trend(
    points: Sequence[TrendPoint], window: int, partial: date | None = None
) -> go.Figure:
    """Daily revenue with its trailing moving average."""
    days = [p.day for p in points]
    fig = _revenue_bars(days, [p.revenue_cents for p in points], "#BAC8FF", partial)
    fig.add_scatter(
        x=days,
        y=[_dollars(p.moving_average_cents) for p in points],
        name=f"{window}-day average",
        mode="lines",
        customdata=[money(p.moving_average_cents) for p in points],
        hovertemplate="%{customdata}<extra>" + f"{window}-day average</extra>",
        line={"color": PALETTE[0], "width": 3},
    )
    fig.update_layout(xaxis=_axis("Day (UTC)"), yaxis=_money_axis())
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
    fig.update_layout(xaxis=_axis("Day (UTC)"), yaxis=_money_axis("Average order value"))
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
    fig.update_layout(
        barmode="stack",
        bargap=0.15,
        xaxis=_axis("Period starting (UTC)"),
        yaxis=_money_axis("Goods revenue"),
    )
    return _layout(fig, height=360)


def funnel(steps: Funnel) -> go.Figure:
    """In orders, one unit all the way down: placed in the period → paid since."""
    fig = go.Figure(
        go.Funnel(
            y=["Orders placed", "Paid"],
            x=[steps.pending_orders, steps.paid_orders],
            textinfo="value+percent initial",
            marker={"color": [PALETTE[1], PALETTE[2]]},
            hovertemplate="%{y}: %{x} orders<extra></extra>",
        )
    )
    fig.update_layout(yaxis=_axis("Step"), xaxis=_axis("Orders"))
    return _layout(fig, legend=False, height=240)
