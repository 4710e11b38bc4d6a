"""Rules for text and ids that an entity's Base declares once (see catalog.ProductBase): the
table, the services that check input with them and the API's schemas (whose OpenAPI document
shows them) share these. `shopora.api.schemas_common` re-exports them for the API's own shapes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

# Ids are 32-bit on PostgreSQL; a larger number could never name a row, so it is refused as
# input, never a database overflow.
MAX_ID = 2**31 - 1
# Control characters (Unicode category Cc) have no place in names, codes or addresses, and
# PostgreSQL text cannot even hold NUL: refusing them on input keeps such input a refusal
# naming the field, on every database. Multi-line text (descriptions, notes) may keep tab and
# newlines.
CONTROL = "\x00-\x1f\x7f-\x9f"
MULTILINE_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
NO_CONTROL = f"^[^{CONTROL}]*$"
NO_MULTILINE_CONTROL = f"^[^{MULTILINE_CONTROL}]*$"

# A JSON "\\ud800" escape decodes to a lone surrogate, which no database can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SINGLE_LINE = re.compile(f"[{CONTROL}]")
_MULTILINE = re.compile(f"[{MULTILINE_CONTROL}]")


def _refuse(forbidden: re.Pattern[str]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if _SURROGATE.search(value):
            raise PydanticCustomError("invalid_unicode", "must be valid Unicode text")
        found = forbidden.search(value)
        if found:
            raise PydanticCustomError(
                "control_character",
                "must not contain control characters (found U+{char})",
                {"char": f"{ord(found.group()):04X}"},
            )
        return value

    return check


def _only_text(clean: Callable[[str], str]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        return clean(value) if isinstance(value, str) else value

    return apply


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Bounded text without control characters (tab and newlines allowed if `multiline`).

    The control-character check runs first (so cleaning cannot hide such a character), then
    `clean` (e.g. trimming), then the limits on the cleaned text. `pattern`, if given, replaces
    the no-control pattern that is otherwise kept for the OpenAPI document."""

    max_length: int
    min_length: int = 0
    multiline: bool = False
    clean: Callable[[str], str] | None = None
    pattern: str | None = None

    def __iter__(self) -> Iterator[object]:
        # The limits go on the text itself (so the JSON schema shows all of them, the pattern
        # too); before-validators run last-declared first: the refusal, then the cleaning.
        default = NO_MULTILINE_CONTROL if self.multiline else NO_CONTROL
        yield StringConstraints(
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self.pattern or default,
        )
        if self.clean is not None:
            yield BeforeValidator(_only_text(self.clean))
        yield BeforeValidator(_refuse(_MULTILINE if self.multiline else _SINGLE_LINE))


def text(max_length: int, min_length: int = 0, *, multiline: bool = False) -> object:
    return Text(max_length, min_length, multiline)


def collapse_spaces(value: str) -> str:
    """Trimmed, with every run of spaces inside made one ("  Desk   Lamp " -> "Desk Lamp")."""
    return " ".join(value.split())


def iso_text_only(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970: 123 would be a date in January 1970.
    if isinstance(value, int | float):
        raise PydanticCustomError("datetime_type", "must be an ISO 8601 date-time string")
    return value


def aware_in_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a moment without a time zone is refused (which zone would it be?)."""
    if moment.utcoffset() is None:
        raise PydanticCustomError("timezone_aware", "must carry a time zone")
    return moment.astimezone(UTC)


# A moment as input: an ISO 8601 string (or datetime) with a time zone, kept in UTC.
Moment = Annotated[datetime, BeforeValidator(iso_text_only), AfterValidator(aware_in_utc)]
