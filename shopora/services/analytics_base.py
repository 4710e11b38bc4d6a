"""Building blocks of the analytics services: periods of shop days, UTC date buckets (for the
plain-SQL queries over source rows), safe arithmetic.

The definitions every number follows are in `shopora.services.analytics`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Date,
    Float,
    cast,
    extract,
    literal_column,
    type_coerce,
)
from sqlmodel import Session, col, func, select

from shopora.errors import ValidationFailed
from shopora.models import Order
from shopora.models.base import utcnow
from shopora.services.shop_days import day_start, shop_day

Preset = Literal["today", "7d", "30d", "90d"]
PRESETS: tuple[Preset, ...] = get_args(Preset)
_PRESET_DAYS: dict[Preset, int] = {"today": 1, "7d": 7, "30d": 30, "90d": 90}
# Constants are rendered inline, not bound: PostgreSQL treats two bound parameters as two
# different expressions, so `GROUP BY timezone($2, ...)` would not match the SELECT list.
_UTC: ColumnClause[str] = literal_column("'UTC'")
_WEEK: ColumnClause[str] = literal_column("'week'")
MAX_RANGE_DAYS = 3660


@dataclass(frozen=True)
class DateRange:
    """A half-open interval [start, end) of aware UTC datetimes; presets and custom ranges
    are whole shop days (`SHOP_TIMEZONE`)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            moment: datetime = getattr(self, name)
            if moment.utcoffset() is None:
                raise ValidationFailed("Dates must carry a time zone (use UTC).", field=name)
            object.__setattr__(self, name, moment.astimezone(UTC))
        if self.start >= self.end:
            raise ValidationFailed("The start must be before the end.", field="end")
        if self.end - self.start > timedelta(days=MAX_RANGE_DAYS):
            raise ValidationFailed("Choose a range of at most ten years.", field="end")

    @classmethod
    def preset(cls, name: Preset, now: datetime | None = None) -> DateRange:
        """Whole shop days ending with today: "today", or the last 7, 30 or 90 days."""
        if name not in _PRESET_DAYS:
            raise ValidationFailed(f"Unknown range {name!r}.", field="period")
        today = shop_day(now or utcnow())
        return cls.between_days(today - timedelta(days=_PRESET_DAYS[name] - 1), today)

    @classmethod
    def between_days(cls, first: date, last: date) -> DateRange:
        """Whole shop days from `first` through `last`, both included (a custom range)."""
        if last < first:
            raise ValidationFailed("The last day must not be before the first.", field="end")
        return cls(day_start(first), day_start(last + timedelta(days=1)))

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> DateRange:
        """The period of equal length that ends where this one starts."""
        return DateRange(self.start - self.length, self.start)

    def extended_back(self, days: int) -> DateRange:
        """The same period, starting `days` earlier (for trailing windows)."""
        return DateRange(self.start - timedelta(days=days), self.end)

    @property
    def first_day(self) -> date:
        """The shop day the period starts on."""
        return shop_day(self.start)

    @property
    def last_day(self) -> date:
        """The last shop day the period touches."""
        return shop_day(self.end - timedelta(microseconds=1))

    def days(self) -> list[date]:
        """Every shop day the period touches, in order."""
        return list(_daily(self.first_day, self.last_day))

    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches, in order."""
        first = week_start(self.first_day)
        last = week_start(self.last_day)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _daily(first: date, last: date) -> Iterator[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def dialect_of(session: Session) -> str:
    """The session's database dialect name: "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name


def day_bucket(column: Any, dialect: str) -> ColumnElement[date]:
    """The UTC calendar day of a timestamp column, as a SQL date (SQLite or PostgreSQL)."""
    if dialect == "postgresql":
        # timestamptz -> UTC wall-clock time, whatever the connection's TimeZone is.
        return cast(func.timezone(_UTC, column), Date)
    if dialect == "sqlite":
        # Timestamps are stored as UTC text; date() keeps the 'YYYY-MM-DD' part.
        return type_coerce(func.date(column), Date)
    raise NotImplementedError(f"No day bucket for {dialect}")


def week_bucket(column: Any, dialect: str) -> ColumnElement[date]:
    """The Monday (UTC) of the ISO week of a timestamp column, as a SQL date."""
    if dialect == "postgresql":
        return cast(func.date_trunc(_WEEK, func.timezone(_UTC, column)), Date)
    if dialect == "sqlite":
        # 'weekday 0' moves forward to Sunday (or stays on it); six days back is Monday.
        monday = func.date(column, literal_column("'weekday 0'"), literal_column("'-6 days'"))
        return type_coerce(monday, Date)
    raise NotImplementedError(f"No week bucket for {dialect}")


def hours_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """`end - start` in hours, computed by the database."""
    if dialect == "postgresql":
        return cast(extract("epoch", end - start), Float) / 3600.0
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    raise NotImplementedError(f"No duration for {dialect}")


def as_date(value: date | datetime | str) -> date:
    """A bucket value as a date, whichever type the driver returned."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up to an integer; 0 when there is nothing to divide."""
    if denominator == 0:
        return 0
    return (2 * numerator + denominator) // (2 * denominator)


def ratio(numerator: int, denominator: int) -> float:
    """numerator / denominator, 0.0 when the denominator is zero."""
    return numerator / denominator if denominator else 0.0


def paid_in(period: DateRange) -> list[ColumnElement[bool]]:
    """Orders that count as sold in the period (paid_at inside it)."""
    return [col(Order.paid_at) >= period.start, col(Order.paid_at) < period.end]


def placed_in(period: DateRange) -> list[ColumnElement[bool]]:
    """Orders created in the period."""
    return [col(Order.created_at) >= period.start, col(Order.created_at) < period.end]


def daily_sales(session: Session, period: DateRange) -> dict[date, tuple[int, int]]:
    """Revenue and paid orders per UTC day of paid_at; only days that had sales."""
    day = day_bucket(Order.paid_at, dialect_of(session)).label("day")
    statement = (
        select(day, func.sum(col(Order.total_cents)), func.count(col(Order.id)))
        .where(*paid_in(period))
        .group_by(day)
    )
    return {
        as_date(bucket): (int(revenue or 0), int(orders))
        for bucket, revenue, orders in session.exec(statement).all()
    }
