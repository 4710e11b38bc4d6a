"""The shipping address, declared once: ShippingAddressBase carries its fields, their limits
(those of the orders table's shipping_* columns), cleaning and docs. The shipping service's
address and the API's ShippingAddressIn/ShippingAddressPublic derive from it; the orders table
keeps its own prefixed column names and takes its lengths from the constants here."""

from __future__ import annotations

from typing import Annotated

from sqlmodel import Field, SQLModel

from shopora.models import fields

MAX_NAME = 120
MAX_LINE = 200
MAX_CITY = 100
MAX_REGION = 100
MAX_POSTAL_CODE = 20
# Letters, digits, spaces and dashes, starting with a letter or digit: every shape the countries
# we ship to use fits in 2 to 10 characters (the column allows 20).
POSTAL_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$"


def _country_code(value: str) -> str:
    return fields.collapse_spaces(value).upper()


def _line(limit: int, min_length: int = 0) -> fields.Text:
    # Pasted addresses often carry doubled or trailing spaces: every run is made one space.
    return fields.Text(limit, min_length, clean=fields.collapse_spaces)


Name = Annotated[str, _line(MAX_NAME, 1)]
Line = Annotated[str, _line(MAX_LINE, 1)]
OptionalLine = Annotated[str, _line(MAX_LINE)]
City = Annotated[str, _line(MAX_CITY, 1)]
Region = Annotated[str, _line(MAX_REGION)]
PostalCode = Annotated[
    str,
    fields.Text(MAX_POSTAL_CODE, 2, clean=fields.collapse_spaces, pattern=POSTAL_CODE_PATTERN),
]
Country = Annotated[str, fields.Text(2, 2, clean=_country_code)]


class ShippingAddressBase(SQLModel):
    """Where an order ships. Text is trimmed with inner runs of spaces made one; the country
    is an upper-case ISO 3166 code (which countries we ship to is the shipping service's)."""

    name: Name = Field(description="The recipient's full name.")
    line1: Line = Field(description="Street and number.")
    line2: OptionalLine = Field(default="", description="Flat, suite or building; optional.")
    city: City
    region: Region = Field(default="", description="State, province or county, e.g. IL; optional.")
    postal_code: PostalCode = Field(
        description="2 to 10 letters, digits, spaces or '-', starting with a letter or digit."
    )
    country: Country = Field(description="ISO 3166 code, e.g. US, GB, DE (any case).")
