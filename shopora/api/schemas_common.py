"""Shapes every schema module shares: ids, bounded text, money, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, Field, Strict

from shopora.formatting import money as _format_money

# Ids, control characters and bounded text: the rules entities declare on their Base (in
# shopora.models) are the API's rules too, so they live in shopora.models.fields.
from shopora.models.fields import CONTROL as CONTROL
from shopora.models.fields import MAX_ID as MAX_ID
from shopora.models.fields import MULTILINE_CONTROL as MULTILINE_CONTROL
from shopora.models.fields import NO_CONTROL as NO_CONTROL
from shopora.models.fields import NO_MULTILINE_CONTROL as NO_MULTILINE_CONTROL
from shopora.models.fields import Text as Text
from shopora.models.fields import iso_text_only
from shopora.models.fields import text as text

# A ceiling for any amount or count a client sends (well past any real cart).
MAX_CENTS = 99_999_999

# A body's numbers and flags are JSON numbers and booleans: `true` is not a quantity and
# "12" is not a price (pydantic would coerce both), so they are strict.
BodyInt = Annotated[int, Strict()]
BodyBool = Annotated[bool, Strict()]
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID, examples=[1])]


# A moment in a body: an ISO 8601 string with a time zone, never a bare number.
BodyDatetime = Annotated[AwareDatetime, BeforeValidator(iso_text_only)]


def path_id(description: str) -> object:
    return Path(ge=1, le=MAX_ID, description=description, examples=[1])


ProductIdPath = Annotated[int, path_id("Product id.")]
OrderIdPath = Annotated[int, path_id("Order id.")]
DiscountIdPath = Annotated[int, path_id("Discount code id.")]


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
