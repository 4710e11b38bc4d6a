"""Shapes every schema module shares: ids, bounded text, money, UTC timestamps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from annotated_types import GroupedMetadata
from fastapi import Path
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from shopora.formatting import money as _format_money

# Ids are 32-bit on PostgreSQL; a larger number could never name a row, so it is a 422,
# not a database overflow.
MAX_ID = 2**31 - 1
# A ceiling for any amount or count a client sends (well past any real cart).
MAX_CENTS = 99_999_999
# Control characters (Unicode category Cc) have no place in names, codes or addresses, and
# PostgreSQL text cannot even hold NUL: refusing them here keeps such input a 422 naming the
# field, on every database. Multi-line text (descriptions, notes) may keep tab and newlines.
CONTROL = "\x00-\x1f\x7f-\x9f"
MULTILINE_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
NO_CONTROL = f"^[^{CONTROL}]*$"
NO_MULTILINE_CONTROL = f"^[^{MULTILINE_CONTROL}]*$"

# A body's numbers and flags are JSON numbers and booleans: `true` is not a quantity and
# "12" is not a price (pydantic would coerce both), so they are strict.
BodyInt = Annotated[int, Strict()]
BodyBool = Annotated[bool, Strict()]
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID, examples=[1])]


def _iso_text_only(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970: 123 would be a date in January 1970.
    if isinstance(value, int | float):
        raise PydanticCustomError("datetime_type", "must be an ISO 8601 date-time string")
    return value


# A moment in a body: an ISO 8601 string with a time zone, never a bare number.
BodyDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_text_only)]


def path_id(description: str) -> object:
    return Path(ge=1, le=MAX_ID, description=description, examples=[1])


ProductIdPath = Annotated[int, path_id("Product id.")]
OrderIdPath = Annotated[int, path_id("Order id.")]
DiscountIdPath = Annotated[int, path_id("Discount code id.")]


# A JSON "\\ud800" escape decodes to a lone surrogate, which no database can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse(forbidden: re.Pattern[str]) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if _SURROGATE.search(value):
            raise PydanticCustomError("invalid_unicode", "must be valid Unicode text")
        found = forbidden.search(value)
        if found:
            raise PydanticCustomError(
                "control_character",
                "must not contain control characters (found U+{char:04X})",
                {"char": ord(found.group())},
            )
        return value

    return check


_SINGLE_LINE = re.compile(f"[{CONTROL}]")
_MULTILINE = re.compile(f"[{MULTILINE_CONTROL}]")


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Bounded text without control characters (tab and newlines allowed if `multiline`).
    The clear check runs first; the pattern stays for the OpenAPI document."""

    max_length: int
    min_length: int = 0
    multiline: bool = False

    def __iter__(self) -> Iterator[object]:
        yield BeforeValidator(_refuse(_MULTILINE if self.multiline else _SINGLE_LINE))
        yield StringConstraints(
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=NO_MULTILINE_CONTROL if self.multiline else NO_CONTROL,
        )


def text(max_length: int, min_length: int = 0, *, multiline: bool = False) -> object:
    return Text(max_length, min_length, multiline)


Text40 = Annotated[str, text(40)]
Text120 = Annotated[str, text(120)]
Text200 = Annotated[str, text(200)]
Text2000 = Annotated[str, text(2000, multiline=True)]


def as_utc(moment: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; every stored datetime is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


def display(cents: int, currency: str | None = None) -> str:
    """Integer cents as people read them, e.g. 1299 -> "$12.99" (the shop's currency by default)."""
    return _format_money(cents, currency)


class PartialUpdate(BaseModel):
    """A PATCH body: only the fields sent change. null counts as not sent, except for the
    fields in `CLEARABLE`, where it empties the field."""

    CLEARABLE: ClassVar[frozenset[str]] = frozenset()

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True)
        return {k: v for k, v in sent.items() if v is not None or k in self.CLEARABLE}
