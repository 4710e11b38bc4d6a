"""The rollups recomputed from the source rows: rebuilt, or compared with what is stored.

The source rows are read in slices of order ids (orders, their lines, refunds and counted
redemptions), so memory stays flat at a million orders; every order is replayed through the
same `rollup_facts` functions the live hooks use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select

from shopora.models import ROLLUP_TABLES, DiscountRedemption, Order, OrderItem, Refund
from shopora.models.rollups import table_of
from shopora.services import rollup_facts as facts
from shopora.services.rollup_facts import Key, Line, OrderFacts, Tally
from shopora.services.rollups import facts_of

SLICE = 20_000
INSERT_BATCH = 5_000
Rows = dict[tuple[str, Key], dict[str, int]]
Refunds = list[tuple[datetime, int]]


@dataclass(frozen=True)
class Difference:
    table: str
    key: Key
    column: str
    stored: int
    recomputed: int

    def __str__(self) -> str:
        where = ", ".join(str(part) for part in self.key)
        return (
            f"{self.table}[{where}].{self.column}: stored {self.stored}, "
            f"recomputed {self.recomputed}"
        )


def recompute(session: Session) -> Tally:
    """Every rollup row as the source rows imply it."""
    tally = Tally()
    top = session.exec(select(func.max(col(Order.id)))).one() or 0
    for first in range(0, top + 1, SLICE):
        _replay_slice(session, tally, first, first + SLICE)
    return tally


def _replay_slice(session: Session, tally: Tally, first: int, end: int) -> None:
    lines = _lines(session, first, end)
    refunds = _refunds(session, first, end)
    redemptions = dict(
        session.exec(
            select(DiscountRedemption.order_id, DiscountRedemption.amount_cents).where(
                col(DiscountRedemption.order_id) >= first, col(DiscountRedemption.order_id) < end
            )
        ).all()
    )
    # Only the columns a replay reads: the migration that backfills rollups runs this on a
    # schema that later migrations extend, so it must not select columns added after it.
    statement = (
        select(Order)
        .where(col(Order.id) >= first, col(Order.id) < end)
        .options(load_only(*_REPLAYED))  # type: ignore[arg-type]  # col() is a QueryableAttribute
    )
    for order in session.exec(statement):
        order_id = order.id or 0
        replay(tally, order, lines.get(order_id, ()), refunds.get(order_id, []))
        if order_id in redemptions and order.paid_at is not None:
            facts.redeemed(tally, facts_of(order), order.paid_at, redemptions[order_id])
    session.expunge_all()


_REPLAYED = tuple(
    col(column)
    for column in (
        Order.id, Order.user_id, Order.created_at, Order.subtotal_cents, Order.discount_cents,
        Order.total_cents, Order.discount_code, Order.paid_at, Order.status, Order.shipped_at,
        Order.delivered_at,
    )
)  # fmt: skip


def replay(tally: Tally, order: Order, lines: tuple[Line, ...], refunds: Refunds) -> None:
    """One stored order's whole life into `tally`."""
    replay_facts(
        tally,
        facts_of(order, lines),
        status=order.status,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        refunds=refunds,
    )


def replay_facts(
    tally: Tally,
    order: OrderFacts,
    *,
    status: str,
    shipped_at: datetime | None,
    delivered_at: datetime | None,
    refunds: Refunds,
) -> None:
    """An order placed, paid, refunded, shipped and delivered, as `OrderFacts` and its
    timestamps (so bulk loaders can count rows they have not stored yet)."""
    facts.placed(tally, order, status)
    if order.paid_at is not None:
        facts.paid(tally, order, order.paid_at)
    refunded = 0
    for refunded_at, amount in refunds:
        after = min(order.total_cents, refunded + amount)
        facts.refunded(
            tally,
            order,
            refunded_at=refunded_at,
            amount_cents=amount,
            before_cents=refunded,
            after_cents=after,
        )
        refunded = after
    if order.paid_at is not None and shipped_at is not None:
        facts.shipped(tally, order.paid_at, shipped_at)
    if shipped_at is not None and delivered_at is not None:
        facts.delivered(tally, shipped_at, delivered_at)


def _lines(session: Session, first: int, end: int) -> dict[int, tuple[Line, ...]]:
    statement = (
        select(
            OrderItem.order_id,
            OrderItem.product_id,
            OrderItem.quantity,
            OrderItem.line_total_cents,
        )
        .where(col(OrderItem.order_id) >= first, col(OrderItem.order_id) < end)
        .order_by(col(OrderItem.order_id), col(OrderItem.product_id))
    )
    found: dict[int, list[Line]] = defaultdict(list)
    for order_id, product_id, quantity, cents in session.exec(statement):
        found[order_id].append(Line(product_id, quantity, cents))
    return {order_id: tuple(lines) for order_id, lines in found.items()}


def _refunds(session: Session, first: int, end: int) -> dict[int, list[tuple[datetime, int]]]:
    # The order they were recorded in: each was recorded under the order's row lock.
    statement = (
        select(Refund.order_id, Refund.created_at, Refund.amount_cents)
        .where(col(Refund.order_id) >= first, col(Refund.order_id) < end)
        .order_by(col(Refund.order_id), col(Refund.created_at), col(Refund.id))
    )
    found: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for order_id, created_at, amount in session.exec(statement):
        found[order_id].append((_aware(created_at), amount))
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def as_rows(tally: Tally) -> Rows:
    return {
        (model.__tablename__, key): dict(increments)  # type: ignore[misc]
        for model, key, increments in tally.items()
    }


def stored(session: Session) -> Rows:
    """The rollup rows as they are in the database, zero columns left out."""
    rows: Rows = {}
    for model in ROLLUP_TABLES:
        table = table_of(model)
        keys = [column.name for column in table.primary_key]
        values = [column.name for column in table.columns if column.name not in keys]
        for row in session.execute(select(table)).mappings():
            counts = {name: int(row[name]) for name in values if row[name]}
            if counts:
                rows[(table.name, tuple(row[name] for name in keys))] = counts
    return rows


def differences(session: Session) -> list[Difference]:
    """Where the stored rollups and the recomputed ones disagree (empty when they agree)."""
    want, have = as_rows(recompute(session)), stored(session)
    found = []
    for table, key in sorted(set(want) | set(have), key=repr):
        expected, actual = want.get((table, key), {}), have.get((table, key), {})
        for column in sorted(set(expected) | set(actual)):
            if expected.get(column, 0) != actual.get(column, 0):
                found.append(
                    Difference(table, key, column, actual.get(column, 0), expected.get(column, 0))
                )
    return found


def write_all(session: Session, tally: Tally) -> int:
    """Replace every rollup row with the tally's (joins the caller's transaction)."""
    for model in ROLLUP_TABLES:
        session.execute(delete(table_of(model)))
    batches: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    columns: dict[str, list[str]] = {}
    date_text = session.get_bind().dialect.name == "sqlite"
    for model, key, increments in tally.items():
        table = table_of(model)
        names = columns.setdefault(table.name, [column.name for column in table.columns])
        values = {**dict(zip(_keys(table), key, strict=True)), **increments}
        batches[table.name].append(tuple(_stored(values.get(name, 0), date_text) for name in names))
    connection = session.connection()
    marks = "?" if date_text else "%s"
    for name, rows in batches.items():
        statement = (
            f"INSERT INTO {name} ({', '.join(columns[name])}) "
            f"VALUES ({', '.join([marks] * len(columns[name]))})"
        )
        # Straight through the driver: a rebuild writes up to a row per order.
        for start in range(0, len(rows), INSERT_BATCH):
            connection.exec_driver_sql(statement, rows[start : start + INSERT_BATCH])
    return sum(len(rows) for rows in batches.values())


def _keys(table: Any) -> list[str]:
    return [column.name for column in table.primary_key]


def _stored(value: Any, date_text: bool) -> Any:
    # SQLite keeps dates as 'YYYY-MM-DD' text, the way SQLAlchemy's Date type writes them.
    return value.isoformat() if date_text and isinstance(value, date) else value


def rebuild(session: Session) -> int:
    """Recompute every rollup from the source rows and store it; returns the row count."""
    return write_all(session, recompute(session))
