"""The operator and analyst charts: every axis titled with its unit, today drawn as a day
still in progress, bar labels upright."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from shopora.services.analytics import (
    CategoryRevenue,
    CategoryShare,
    DayPoint,
    Funnel,
    ProductSales,
    TrendPoint,
)
from shopora.ui.ops import charts

TODAY = date(2026, 6, 30)
DAYS = [TODAY - timedelta(days=n) for n in range(3, -1, -1)]


def daily() -> list[DayPoint]:
    return [DayPoint(day, 10_000 * (n + 1), n + 1, 0) for n, day in enumerate(DAYS)]


def trend() -> list[TrendPoint]:
    return [TrendPoint(day, 5_000, 2, 2_500, 4_000) for day in DAYS]


def titles(fig: go.Figure) -> list[str | None]:
    return [fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]


FIGURES = {
    "daily": lambda: charts.revenue_and_orders(daily(), TODAY),
    "status": lambda: charts.status_bars({"paid": 9, "shipped": 6}),
    "categories": lambda: charts.category_bars([CategoryRevenue(1, "Audio", 12_000, 3)]),
    "products": lambda: charts.top_products_bars([ProductSales(1, "Mug", "MUG-1", 2, 4_000)]),
    "trend": lambda: charts.revenue_trend(trend(), 7, TODAY),
    "aov": lambda: charts.aov_trend(trend()),
    "mix": lambda: charts.category_mix([CategoryShare(DAYS[0], "Audio", 12_000, 3)]),
    "funnel": lambda: charts.funnel(Funnel(50, 40, 30, 20, 15)),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_chart_titles_its_axes(name: str) -> None:
    fig = FIGURES[name]()

    assert all(titles(fig)), titles(fig)


def test_money_axes_say_they_are_in_dollars() -> None:
    fig = charts.revenue_and_orders(daily(), TODAY)

    assert "USD" in fig.layout.yaxis.title.text and fig.layout.yaxis.tickprefix == "$"
    assert fig.layout.yaxis2.title.text == "Paid orders"


def test_today_is_hatched_and_labelled_as_so_far_not_drawn_as_a_finished_day() -> None:
    fig = charts.revenue_and_orders(daily(), TODAY)

    bars = fig.data[0]
    assert list(bars.marker.pattern.shape) == ["", "", "", "/"]
    assert [a.text for a in fig.layout.annotations] == [charts.PARTIAL]
    dotted = [t for t in fig.data[1:] if t.line.dash == "dot"]
    assert [list(t.x) for t in dotted] == [[DAYS[-2], DAYS[-1]]]


def test_a_past_period_has_no_partial_day() -> None:
    fig = charts.revenue_and_orders(daily(), None)

    assert not fig.layout.annotations
    assert set(fig.data[0].marker.pattern.shape) == {""}


def test_status_bar_labels_stay_upright_outside_the_bar() -> None:
    bars = charts.status_bars({"paid": 9, "shipped": 6}).data[0]

    assert bars.textangle == 0 and bars.textposition == "outside"


def test_the_funnel_measures_orders_at_two_distinct_steps() -> None:
    stage = charts.funnel(Funnel(50, 40, 30, 20, 15)).data[0]

    assert list(stage.y) == ["Orders placed", "Paid"]
    assert list(stage.x) == [40, 30]


def test_small_counts_tick_in_whole_orders() -> None:
    fig = charts.status_bars({"paid": 1})

    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tickformat == ",d"
    assert charts.revenue_and_orders(daily(), TODAY).layout.yaxis2.dtick == 1
