"""Bulk data for benchmarks: the seeded shop plus N paid orders spread over a year.

Rows go in with executemany in batches (the services would take minutes for 50k orders); the
rows keep the database's invariants (totals, statuses, timestamps) so the aggregates are real.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from shopora.models import Order, OrderItem, Product, User
from shopora.models.base import utcnow
from shopora.seed import seed_database

STATUSES = ["paid", "processing", "shipped", "delivered", "delivered", "delivered"]
BATCH = 2000


def _order_rows(
    n: int,
    users: list[tuple[int, str]],
    products: list[tuple[int, str, str, int]],
    rng: random.Random,
    first_id: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    now = utcnow()
    orders: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for offset in range(n):
        order_id = first_id + offset
        user_id, email = rng.choice(users)
        created = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        lines = rng.sample(products, rng.randint(1, 3))
        subtotal = 0
        for product_id, sku, name, price in lines:
            quantity = rng.randint(1, 2)
            subtotal += price * quantity
            items.append(
                {
                    "order_id": order_id,
                    "product_id": product_id,
                    "sku": sku,
                    "name": name,
                    "unit_price_cents": price,
                    "quantity": quantity,
                    "line_total_cents": price * quantity,
                }
            )
        shipping = 0 if subtotal >= 7500 else 599
        orders.append(
            {
                "id": order_id,
                "number": f"SO-B{order_id}",
                "user_id": user_id,
                "status": rng.choice(STATUSES),
                "payment_status": "paid",
                "currency": "usd",
                "subtotal_cents": subtotal,
                "discount_cents": 0,
                "shipping_cents": shipping,
                "total_cents": subtotal + shipping,
                "refunded_cents": 0,
                "email": email,
                "shipping_name": "Bench Customer",
                "shipping_line1": "1 Load St",
                "shipping_line2": "",
                "shipping_city": "Springfield",
                "shipping_postal_code": "12345",
                "shipping_country": "US",
                "shipping_method": "standard",
                "checkout_attempt": 1,
                "stripe_session_id": f"cs_test_bench_{order_id}",
                "payment_intent_id": f"pi_bench_{order_id}",
                "amount_paid_cents": subtotal + shipping,
                "paid_at": created + timedelta(minutes=3),
                "verified_via": "webhook",
                "needs_attention": False,
                "created_at": created,
                "updated_at": created,
            }
        )
    return orders, items


def generate(engine: Engine, *, orders: int, seed: int = 7) -> None:
    """Seed the shop (no demo history) and add `orders` paid orders."""
    rng = random.Random(seed)
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=False)
        users = [(u.id or 0, u.email) for u in session.exec(select(User))]
        products = [
            (p.id or 0, p.sku, p.name, p.price_cents) for p in session.exec(select(Product))
        ]
    first = 1_000_000
    with engine.begin() as conn:
        for start in range(0, orders, BATCH):
            order_rows, item_rows = _order_rows(
                min(BATCH, orders - start), users, products, rng, first + start
            )
            conn.execute(insert(Order.__table__), order_rows)  # type: ignore[attr-defined]
            conn.execute(insert(OrderItem.__table__), item_rows)  # type: ignore[attr-defined]
