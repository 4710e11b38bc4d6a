"""What an operator types into the order console's search box, as indexed SQL.

- An order number (`SO-…`, any case) is an exact lookup on its unique index.
- An email address is an exact lookup (ignoring case) of the order's email or its customer's,
  both indexed on lower(email).
- Anything else is free text: the orders whose shipping name or email, or whose customer's
  name or email, contain it, ignoring case. Each order's four texts sit in one trigram index
  (migration 0007 keeps it in step with every write, by trigger): SQLite's FTS5 table
  `order_text`, PostgreSQL's `orders.search_text` (lowercased, joined by U+001F) with a
  pg_trgm index. One lookup finds each matching order once. Trigrams need three characters,
  so a one- or two-character search scans instead: slower, with the same answer.

Pages are keyset pages: `after` names the last row shown (an opaque cursor), so page 50
costs what page 1 does.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    column,
    literal,
    literal_column,
    or_,
    table,
    tuple_,
    union,
)
from sqlmodel import col, func, select

from shopora.errors import ValidationFailed
from shopora.models import Order, User

QueryKind = Literal["number", "email", "text"]
_NUMBER = re.compile(r"so-[a-z0-9]+", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TRIGRAM = 3
_ORDER_TEXT = table("order_text", column("rowid"), column("order_text"))
# orders.search_text (PostgreSQL only, kept by trigger, so not on the model) and what
# separates its four texts there: a search containing it cannot use it.
_SEARCH_TEXT = literal_column("orders.search_text", Text)
_SEPARATOR = "\x1f"


def query_kind(text: str) -> QueryKind:
    """How a (stripped) search text is looked up."""
    if _NUMBER.fullmatch(text):
        return "number"
    if _EMAIL.fullmatch(text):
        return "email"
    return "text"


def matching(text: str, dialect: str) -> ColumnElement[bool]:
    """The condition on `Order` for a non-empty, stripped search text.

    An email is `orders.id IN (a UNION of indexed lookups)`: an OR of conditions, one of them
    a subquery, reads every order on PostgreSQL, while each arm of the union is an index
    lookup on both databases. Free text is one trigram-index condition."""
    wanted = text.lower()
    kind = query_kind(wanted)
    if kind == "number":
        return col(Order.number) == wanted.upper()
    if kind == "email":
        customers = select(col(User.id)).where(func.lower(col(User.email)) == wanted)
        arms: list[Any] = [
            select(col(Order.id)).where(func.lower(col(Order.email)) == wanted),
            select(col(Order.id)).where(col(Order.user_id).in_(customers)),
        ]
    elif dialect == "sqlite" and len(wanted) >= TRIGRAM:
        # A quoted FTS5 phrase of trigrams matches the text as a substring of one column.
        phrase = '"' + wanted.replace('"', '""') + '"'
        found = select(_ORDER_TEXT.c.rowid).where(_ORDER_TEXT.c.order_text.op("MATCH")(phrase))
        return col(Order.id).in_(found)
    elif dialect == "postgresql" and _SEPARATOR not in wanted:
        # Without the separator a match lies inside one of the four texts, as a scan's does.
        return _SEARCH_TEXT.like(_pattern(wanted), escape="\\")
    else:
        arms = _substring(wanted)
    return col(Order.id).in_(union(*arms))


def _pattern(wanted: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", wanted) + "%"


def _substring(wanted: str) -> list[Any]:
    pattern = _pattern(wanted)

    def contains(column: Any) -> ColumnElement[bool]:
        return func.lower(column).like(pattern, escape="\\")

    customers = select(col(User.id)).where(or_(contains(User.name), contains(User.email)))
    return [
        select(col(Order.id)).where(contains(Order.shipping_name)),
        select(col(Order.id)).where(contains(Order.email)),
        select(col(Order.id)).where(col(Order.user_id).in_(customers)),
    ]


# --- keyset pages --------------------------------------------------------------------------

Key = tuple[Any, bool]  # (column, descending)


def after_condition(keys: Sequence[Key], cursor: str) -> ColumnElement[bool]:
    """Rows that come after the row `cursor` names, in the order `keys` sort by."""
    values = decode_cursor(cursor, len(keys))
    typed = [literal(value, type_=key.type) for (key, _), value in zip(keys, values, strict=True)]
    if len({descending for _, descending in keys}) == 1:
        # One direction: a row-value comparison, which an index on the keys answers.
        left, right = tuple_(*(key for key, _ in keys)), tuple_(*typed)
        return left < right if keys[0][1] else left > right
    terms = []
    for i, ((key, descending), value) in enumerate(zip(keys, typed, strict=True)):
        ties = [k == v for (k, _), v in zip(keys[:i], typed[:i], strict=True)]
        terms.append(and_(*ties, key < value if descending else key > value))
    return or_(*terms)


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The key values a cursor carries; ValidationFailed(field="after") if it is not one."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != size:
            raise ValueError(cursor)
        return [_value(v) for v in raw]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed("That page link is not valid any more.", field="after") from None


def _value(raw: Any) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise ValueError(raw)
    if isinstance(raw, str):
        moment = datetime.fromisoformat(raw)
        if moment.utcoffset() is None:
            raise ValueError(raw)
        return moment
    return raw
