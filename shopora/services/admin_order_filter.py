"""The order console's filter: what an operator may ask the list for, how that is checked,
and the SQL it becomes (WHERE conditions, sort order, and the row select with its item
count). The date filter applies to `created_at`, half-open: date_from <= created_at < date_to.

Separate from `admin_orders` so that module reads as the console's use cases and the shapes
they return, while this one holds the query building that the list and the CSV share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlmodel import col, func

from shopora.errors import ValidationFailed
from shopora.models import Order, OrderItem, OrderStatus, PaymentStatus, User
from shopora.services.order_search import Key, matching

OrderSort = Literal["newest", "oldest", "total_desc", "total_asc"]
ORDER_SORTS: tuple[OrderSort, ...] = get_args(OrderSort)
MAX_PER_PAGE = 200
STATUSES = frozenset(status.value for status in OrderStatus)
PAYMENT_STATUSES = frozenset(status.value for status in PaymentStatus)


@dataclass(frozen=True)
class OrderFilter:
    """What the operator asked to see; `query` is an order number, an email address or free
    text over names and emails, ignoring case (see `order_search`)."""

    status: str | None = None
    payment_status: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    query: str = ""
    needs_attention: bool | None = None
    statuses: tuple[str, ...] = ()  # any of these (a saved view such as "unfulfilled")
    payment_statuses: tuple[str, ...] = ()
    sort: OrderSort = "newest"
    per_page: int = 50
    # The cursor of the last row of the previous page (`OrderPage.next_after`); None: page 1.
    after: str | None = None


def check_filter(filters: OrderFilter) -> None:
    """Refuse a filter the list cannot run; each problem names its field."""
    if filters.status is not None and filters.status not in STATUSES:
        raise ValidationFailed(f"Unknown order status {filters.status!r}.", field="status")
    if filters.payment_status is not None and filters.payment_status not in {
        p.value for p in PaymentStatus
    }:
        raise ValidationFailed(
            f"Unknown payment status {filters.payment_status!r}.", field="payment_status"
        )
    if not set(filters.statuses) <= STATUSES:
        raise ValidationFailed("Unknown order status in the view.", field="statuses")
    if not set(filters.payment_statuses) <= PAYMENT_STATUSES:
        raise ValidationFailed("Unknown payment status in the view.", field="payment_statuses")
    for name in ("date_from", "date_to"):
        moment: datetime | None = getattr(filters, name)
        if moment is not None and moment.utcoffset() is None:
            raise ValidationFailed("Dates must carry a time zone (use UTC).", field=name)
    if filters.date_from and filters.date_to and filters.date_from >= filters.date_to:
        raise ValidationFailed("The start must be before the end.", field="date_to")
    if filters.sort not in ORDER_SORTS:
        raise ValidationFailed(f"Unknown sort order {filters.sort!r}.", field="sort")
    if not 1 <= filters.per_page <= MAX_PER_PAGE:
        raise ValidationFailed(f"Show 1 to {MAX_PER_PAGE} per page.", field="per_page")
    if len(filters.query) > 200:
        raise ValidationFailed("Search for at most 200 characters.", field="query")


def filter_conditions(filters: OrderFilter, dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE conditions on orders for `filters` (`dialect`: the database's, whose
    full-text index the search uses)."""
    where: list[ColumnElement[bool]] = []
    if filters.status is not None:
        where.append(col(Order.status) == filters.status)
    if filters.payment_status is not None:
        where.append(col(Order.payment_status) == filters.payment_status)
    if filters.statuses:
        where.append(col(Order.status).in_(filters.statuses))
    if filters.payment_statuses:
        where.append(col(Order.payment_status).in_(filters.payment_statuses))
    if filters.date_from is not None:
        where.append(col(Order.created_at) >= filters.date_from)
    if filters.date_to is not None:
        where.append(col(Order.created_at) < filters.date_to)
    if filters.needs_attention is not None:
        # `= true` / `= false`, as the partial index ix_orders_attention is written.
        flag = true() if filters.needs_attention else false()
        where.append(col(Order.needs_attention) == flag)
    text = filters.query.strip()
    if text:
        where.append(matching(text, dialect))
    return where


# What a list row shows: these columns only, not whole ORM orders (a page of 50 entities
# of 45 columns each cost more to build than the query took to run).
ROW_COLUMNS = (
    "id", "number", "created_at", "paid_at", "email", "status", "payment_status",
    "total_cents", "refunded_cents", "currency", "needs_attention",
)  # fmt: skip


def rows_statement(where: Sequence[ColumnElement[bool]], sort: OrderSort) -> Select[Any]:
    """Orders matching `where` as rows of ROW_COLUMNS plus `customer_name` and `items` (the
    number of units), sorted by `sort`."""
    items = (
        select(func.coalesce(func.sum(col(OrderItem.quantity)), 0))
        .where(col(OrderItem.order_id) == col(Order.id))
        .correlate(Order)
        .scalar_subquery()
    )
    columns = [getattr(Order, name) for name in ROW_COLUMNS]
    return (
        select(*columns, col(User.name).label("customer_name"), items.label("items"))
        .join(User, col(User.id) == col(Order.user_id))
        .where(*where)
        .order_by(*(key.desc() if descending else key for key, descending in sort_keys(sort)))
    )


def sort_keys(sort: OrderSort) -> list[Key]:
    """The columns a sort orders by, each with its direction; the last is the unique id, so
    a row's values name its place exactly (what a keyset cursor records)."""
    newest: list[Key] = [(col(Order.created_at), True), (col(Order.id), True)]
    keys: dict[OrderSort, list[Key]] = {
        "newest": newest,
        "oldest": [(col(Order.created_at), False), (col(Order.id), False)],
        "total_desc": [(col(Order.total_cents), True), *newest],
        "total_asc": [(col(Order.total_cents), False), *newest],
    }
    return keys[sort]
