"""A deterministic demo order history, so the dashboard and analytics are alive on first run.

Everything derives from one `random.Random(seed)` and the given `now`: two fresh databases get
the same customers, orders, numbers and totals. Prices come from the app's own pricing rules,
and the inventory ledger is written so that every product ends exactly at its current
`stock_on_hand` without ever going negative along the way.

The steps, in the order `generate_history` runs them: `world` (the shop as found), `people`
(customers), `plans` and `lifecycle` (the orders and what became of them), `ledger` (stock
movements), `rows` and `events` (the database rows), `report` (the summary).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from shopora.history.ledger import ledger_rows, plan_ledger
from shopora.history.people import SHOPPER_PASSWORD, backdate, new_customers
from shopora.history.plans import plan_orders
from shopora.history.report import HistoryReport, build_report
from shopora.history.rows import insert_orders, order_rows
from shopora.history.world import load_world
from shopora.models import InventoryMovement, Order

__all__ = ["SHOPPER_PASSWORD", "HistoryReport", "generate_history"]


def generate_history(session: Session, *, now: datetime, seed: int = 2026) -> HistoryReport:
    """Write ~400 demo orders over the last 90 days, with customers, events, stock holds,
    refunds, redemptions and the inventory ledger. Joins the caller's transaction.

    The products' current `stock_on_hand` is where the history ends; it needs a database
    without orders and without ledger entries (seeding writes the catalog, then this).
    """
    _refuse_unless_blank(session)
    rng = random.Random(seed)
    world = load_world(session, now.astimezone(UTC))
    customers = new_customers(session, rng, world)
    plans = plan_orders(rng, world, customers)
    moves = plan_ledger(rng, plans, world)
    backdate(world, customers, plans)
    session.add_all([c.user for c in customers if c.user.id is None])
    session.flush()
    insert_orders(session, plans)
    session.add_all(order_rows(plans, world))
    session.add_all(ledger_rows(moves))
    session.flush()
    return build_report(customers, plans, world)


def _refuse_unless_blank(session: Session) -> None:
    for model in (Order, InventoryMovement):
        if session.exec(select(func.count()).select_from(model)).one():
            raise ValueError(f"The demo history needs a database without {model.__tablename__}.")
