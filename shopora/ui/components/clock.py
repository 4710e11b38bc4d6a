"""Customer-facing dates in the customer's own time zone (the browser's, which Streamlit
reports as st.context.timezone), falling back to UTC when it is unknown or not a zone."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def zone_named(name: object) -> tzinfo:
    """The IANA zone `name` ("America/Chicago"); UTC for anything else."""
    if not isinstance(name, str) or not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def viewer_zone() -> tzinfo:
    try:
        return zone_named(st.context.timezone)
    except (AttributeError, RuntimeError):  # outside a browser session
        return UTC


def in_zone(moment: datetime | None, zone: tzinfo) -> str:
    """ "Dec 06, 2026 07:30 CST"; a stored time without zone is UTC (SQLite drops it)."""
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%b %d, %Y %H:%M %Z")


def when(moment: datetime | None) -> str:
    """A moment as the viewer's clock shows it."""
    return in_zone(moment, viewer_zone())
