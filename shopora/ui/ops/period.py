"""The date range every operator and analyst page reads its numbers for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import streamlit as st

from shopora.errors import ShoporaError
from shopora.models.base import utcnow
from shopora.services.analytics import DateRange, Preset

CUSTOM = "custom"
CHOICES: dict[str, str] = {
    "today": "Today",
    "7d": "7 days",
    "30d": "30 days",
    "90d": "90 days",
    CUSTOM: "Custom",
}


def day_span(first: date, last: date) -> str:
    if first == last:
        return first.strftime("%b %d, %Y")
    if first.year == last.year:
        return f"{first.strftime('%b %d')} – {last.strftime('%b %d, %Y')}"
    return f"{first.strftime('%b %d, %Y')} – {last.strftime('%b %d, %Y')}"


def describe(period: DateRange) -> str:
    """'Jun 01 – Jun 30, 2026' for a half-open range of whole days."""
    return day_span(period.start.date(), (period.end - timedelta(microseconds=1)).date())


def pick_period(key: str, *, default: Preset = "30d", compare_note: bool = True) -> DateRange:
    """A preset or custom range of whole UTC days; the caption names the comparison period."""
    choice = st.segmented_control(
        "Period",
        options=list(CHOICES),
        format_func=CHOICES.__getitem__,
        default=default,
        required=True,
        key=f"{key}_preset",
    )
    period = _custom(key, default) if choice == CUSTOM else None
    if period is None:
        preset = default if choice in (None, CUSTOM) else cast(Preset, choice)
        period = DateRange.preset(preset, utcnow())
    note = f"**{describe(period)}** (UTC)"
    if compare_note:
        note += f" · compared with {describe(period.previous())}"
    st.caption(note)
    return period


def _custom(key: str, default: Preset) -> DateRange | None:
    today = utcnow().date()
    picked = st.date_input(
        "From – to",
        value=(today - timedelta(days=29), today),
        max_value=today,
        key=f"{key}_range",
        width=320,
    )
    days = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
    if len(days) != 2:
        st.info("Pick the last day of the range too.", icon=":material/date_range:")
        return None
    try:
        return DateRange.between_days(days[0], days[1])
    except ShoporaError as exc:
        st.warning(exc.message)
        return None
