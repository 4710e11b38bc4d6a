"""Keeping the rollups current: one call at each place an order's money, stock or status
changes, joining that transaction.

Every write is `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n` (SQLite and
PostgreSQL alike): two transactions adding to the same day × product row both count, in
whichever order they commit, and neither reads a total it could overwrite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from shopora.models import Order, OrderItem, Refund
from shopora.models.base import pk
from shopora.models.rollups import table_of
from shopora.services import rollup_facts as facts
from shopora.services.rollup_facts import Line, OrderFacts, Tally

_INSERTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def order_facts(session: Session, order: Order) -> OrderFacts:
    """The order as the rollups see it (its lines read from the database)."""
    statement = (
        select(OrderItem).where(OrderItem.order_id == pk(order)).order_by(col(OrderItem.product_id))
    )
    lines = tuple(
        Line(item.product_id, item.quantity, item.line_total_cents)
        for item in session.exec(statement).all()
    )
    return facts_of(order, lines)


def facts_of(order: Order, lines: tuple[Line, ...] = ()) -> OrderFacts:
    """The order as the rollups see it, with the lines given (none for events that do not
    look at them)."""
    return OrderFacts(
        user_id=order.user_id,
        created_at=order.created_at,
        subtotal_cents=order.subtotal_cents,
        discount_cents=order.discount_cents,
        total_cents=order.total_cents,
        discount_code=order.discount_code,
        lines=lines,
        paid_at=order.paid_at,
    )


_PENDING = "shopora_rollups"  # session.info: this transaction's increments, not written yet


def add(session: Session, tally: Tally) -> None:
    """Gather an event's increments; they are written when the transaction commits, all
    together in one fixed (table, key) order. Written as each event happened, two
    concurrent transactions could take the same rows' locks in opposite orders (a placement
    touches the day before the status, a payment the status before the day) and deadlock
    on PostgreSQL."""
    pending: Tally = session.info.setdefault(_PENDING, Tally())
    for model, key, increments in tally.items():
        pending.add(model, key, **increments)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        write(session, pending)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def write(session: Session, tally: Tally) -> None:
    """Add the tally's increments to the rollup rows now, creating the rows that are
    missing, in the tally's fixed order."""
    insert = _INSERTS[session.get_bind().dialect.name]
    for model, key, increments in tally.items():
        table = table_of(model)
        keys = [column.name for column in table.primary_key]
        statement = insert(table).values(**dict(zip(keys, key, strict=True)), **increments)
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: table.c[name] + statement.excluded[name] for name in increments},
        )
        session.execute(statement)


def _record(session: Session, event: Any, order: Order, *args: Any, **kwargs: Any) -> None:
    tally = Tally()
    event(tally, order_facts(session, order), *args, **kwargs)
    add(session, tally)


def order_placed(session: Session, order: Order) -> None:
    """A new order (once flushed: its placed day is known)."""
    tally = Tally()
    facts.placed(tally, facts_of(order), order.status)
    add(session, tally)


def status_changed(session: Session, order: Order, before: str, after: str) -> None:
    tally = Tally()
    facts.moved(tally, facts_of(order), before, after)
    add(session, tally)


def order_paid(session: Session, order: Order) -> None:
    """The order counts as sold on its paid day (call once `paid_at` is set)."""
    if order.paid_at is not None:
        _record(session, facts.paid, order, order.paid_at)


def discount_redeemed(session: Session, order: Order, amount_cents: int) -> None:
    if order.paid_at is not None:
        tally = Tally()
        facts.redeemed(tally, facts_of(order), order.paid_at, amount_cents)
        add(session, tally)


def order_refunded(session: Session, order: Order, refund: Refund, before_cents: int) -> None:
    """A refund was recorded: the order's refunded total went from `before_cents` to now."""
    _record(
        session,
        facts.refunded,
        order,
        refunded_at=refund.created_at,
        amount_cents=refund.amount_cents,
        before_cents=before_cents,
        after_cents=order.refunded_cents,
    )


def order_shipped(session: Session, order: Order) -> None:
    if order.paid_at is not None and order.shipped_at is not None:
        tally = Tally()
        facts.shipped(tally, order.paid_at, order.shipped_at)
        add(session, tally)


def order_delivered(session: Session, order: Order) -> None:
    if order.shipped_at is not None and order.delivered_at is not None:
        tally = Tally()
        facts.delivered(tally, order.shipped_at, order.delivered_at)
        add(session, tally)
