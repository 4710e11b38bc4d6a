"""Customer-facing dates in the browser's time zone, UTC when it is unknown."""

from __future__ import annotations

from datetime import UTC, datetime

from shopora.ui.components.clock import in_zone, zone_named

NOON_UTC = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_moment_is_shown_on_the_customers_clock() -> None:
    assert in_zone(NOON_UTC, zone_named("America/Chicago")) == "Dec 06, 2026 06:00 CST"


def test_a_time_stored_without_its_zone_is_read_as_utc() -> None:
    stored = NOON_UTC.replace(tzinfo=None)  # as SQLite hands it back
    assert in_zone(stored, zone_named("Europe/Berlin")) == "Dec 06, 2026 13:00 CET"


def test_an_unknown_or_missing_zone_falls_back_to_utc() -> None:
    for name in (None, "", "Mars/Olympus_Mons", "../etc/passwd", 42):
        assert in_zone(NOON_UTC, zone_named(name)) == "Dec 06, 2026 12:00 UTC"


def test_no_moment_is_a_dash() -> None:
    assert in_zone(None, UTC) == "—"
