"""The shop's calendar: a shop day runs from midnight to midnight in `SHOP_TIMEZONE`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from shopora.config import get_settings


def shop_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().shop_timezone)


def shop_day(moment: datetime) -> date:
    """The shop day an aware timestamp falls on (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(shop_zone()).date()


def day_start(day: date) -> datetime:
    """The UTC instant the shop day begins."""
    return datetime.combine(day, time(), tzinfo=shop_zone()).astimezone(UTC)
