"""The dashboard's headline numbers as one row of metric cards, each compared with the previous
period. Money shows in whole dollars so six cards fit a row; the exact amount is in the help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from shopora.formatting import money_whole
from shopora.services import analytics
from shopora.services.analytics import Kpis
from shopora.ui.format import money

Colour = Literal["normal", "inverse", "off"]


@dataclass(frozen=True)
class Card:
    label: str
    value: Callable[[Kpis], float]
    shown: Callable[[Kpis], str]
    help: str
    colour: Colour = "normal"
    points: bool = False  # a ratio: compare in percentage points, not percent
    exact: Callable[[Kpis], str] | None = None  # the amount to the cent, when shown rounded


CARDS = (
    Card(
        "Net revenue",
        lambda k: k.net_revenue_cents,
        lambda k: money_whole(k.net_revenue_cents),
        "Revenue of orders paid in the period minus refunds made in it.",
        exact=lambda k: money(k.net_revenue_cents),
    ),
    Card(
        "Paid orders",
        lambda k: k.paid_orders,
        lambda k: f"{k.paid_orders:,}",
        "Orders whose payment was verified in the period.",
    ),
    Card(
        "Avg. order",
        lambda k: k.aov_cents,
        lambda k: money(k.aov_cents),
        "Revenue ÷ paid orders (before refunds).",
    ),
    Card(
        "Items sold",
        lambda k: k.items_sold,
        lambda k: f"{k.items_sold:,}",
        "Units in the orders paid in the period.",
    ),
    Card(
        "Paid of placed",
        lambda k: k.conversion,
        lambda k: f"{k.conversion:.1%}",
        "Of the orders placed in the period, the share that is paid now.",
        points=True,
    ),
    Card(
        "Refunds",
        lambda k: k.refunds_cents,
        lambda k: f"{money_whole(k.refunds_cents)} · {k.refund_count}",
        "Amount and number of refunds made in the period.",
        colour="inverse",
        exact=lambda k: money(k.refunds_cents),
    ),
)


def change(card: Card, current: Kpis, previous: Kpis | None) -> str | None:
    if previous is None:
        return None
    now, before = card.value(current), card.value(previous)
    if card.points:
        return f"{(now - before) * 100:+.1f} pts"
    pct = analytics.delta(now, before)
    return "new" if pct is None else f"{pct:+.1f}%"


def show_kpis(kpis: Kpis, *, per_row: int = 3) -> None:
    previous = kpis.previous
    for start in range(0, len(CARDS), per_row):
        for column, card in zip(st.columns(per_row), CARDS[start : start + per_row], strict=False):
            note = card.help + (f" Exactly {card.exact(kpis)}." if card.exact else "")
            if previous is not None:
                note += f" Previous period: {card.shown(previous)}."
            delta = change(card, kpis, previous)
            unchanged = delta is not None and delta.lstrip("+-").startswith(("0.0%", "0.0 pts"))
            column.metric(
                card.label,
                card.shown(kpis),
                "no change" if unchanged else delta,
                delta_color="off" if unchanged else card.colour,
                help=note,
                border=True,
            )
