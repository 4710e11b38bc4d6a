"""Shapes every schema module shares: ids, bounded text, money, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Path
from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from shopora.formatting import money as _format_money

# Ids are 32-bit on PostgreSQL; a larger number could never name a row, so it is a 422,
# not a database overflow.
MAX_ID = 2**31 - 1
# A ceiling for any amount or count a client sends (well past any real cart).
MAX_CENTS = 99_999_999
# PostgreSQL text cannot hold NUL; refusing it here keeps such input a 422 on every database.
NO_NUL = r"^[^\x00]*$"

BodyId = Annotated[int, Field(ge=1, le=MAX_ID, examples=[1])]


def path_id(description: str) -> object:
    return Path(ge=1, le=MAX_ID, description=description, examples=[1])


ProductIdPath = Annotated[int, path_id("Product id.")]
OrderIdPath = Annotated[int, path_id("Order id.")]
DiscountIdPath = Annotated[int, path_id("Discount code id.")]


def text(max_length: int, min_length: int = 0) -> object:
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL)


Text40 = Annotated[str, text(40)]
Text120 = Annotated[str, text(120)]
Text200 = Annotated[str, text(200)]
Text2000 = Annotated[str, text(2000)]


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
