"""The rows of one benchmark order, planned in memory: what happened to it and when.

Shares (of all orders): ~7 % cancelled unpaid (abandoned or expired checkout), ~2 % refunded
in full (half of those cancelled before shipping), ~2 % refunded in part, ~0.3 % flagged for
attention, ~15 % placed with a discount code; the newest orders are pending (a handful) or
awaiting fulfilment (a few hundred); older paid orders are shipped, most of them delivered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

CANCELLED_UNPAID = 0.07
FULL_REFUND = 0.02
PARTIAL_REFUND = 0.02
FLAGGED = 0.003
WITH_CODE = 0.15
SHIPPING_CENTS = 599
FREE_SHIPPING_FROM = 7500


@dataclass(frozen=True)
class Catalog:
    products: list[tuple[int, str, str, int]]  # id, sku, name, price
    codes: dict[str, tuple[int, str, int, int]]  # code -> id, kind, value, min subtotal
    in_stock: list[tuple[int, str, str, int]]  # plenty left: what pending orders hold


@dataclass
class Planned:
    order: dict[str, Any]
    items: list[dict[str, Any]]
    refunds: list[dict[str, Any]] = field(default_factory=list)
    redemption: dict[str, Any] | None = None
    holds: list[tuple[int, int]] = field(default_factory=list)


def plan_order(
    rng: random.Random,
    order_id: int,
    created: datetime,
    customer: tuple[int, str, str],
    catalog: Catalog,
    fate: str,
    now: datetime,
) -> Planned:
    """`fate` is "pending", "awaiting" or "settled" (whatever the shares make of it)."""
    items = _items(rng, order_id, catalog) if fate != "pending" else _one(rng, order_id, catalog)
    subtotal = sum(item["line_total_cents"] for item in items)
    code = _code(rng, catalog, subtotal) if rng.random() < WITH_CODE else None
    discount, shipping, given = _pricing(subtotal, code)
    user_id, email, name = customer
    order = _order_row(order_id, user_id, email, name, created, subtotal, discount, shipping)
    order["discount_code"] = code[0] if code else None
    planned = Planned(order, items)
    if fate == "pending":
        planned.holds = [(i["product_id"], i["quantity"]) for i in items]
        return planned
    if fate == "settled" and rng.random() < CANCELLED_UNPAID:
        order.update(status="cancelled", cancelled_at=created + timedelta(minutes=30))
        return planned
    _pay(order, created + timedelta(seconds=rng.randint(30, 600)))
    if code:
        planned.redemption = _redemption(order, catalog.codes[code[0]][0], given)
    if fate == "awaiting":
        order["status"] = rng.choice(["paid", "processing"])
    else:
        _fulfil(rng, order, now)
        _maybe_refund(rng, planned, now)
    if rng.random() < FLAGGED:
        order["needs_attention"] = True
        order["attention_reason"] = "The carrier could not validate the address."
    return planned


def _items(rng: random.Random, order_id: int, catalog: Catalog) -> list[dict[str, Any]]:
    lines = rng.sample(catalog.products, min(len(catalog.products), rng.randint(1, 5)))
    return [
        {
            "order_id": order_id,
            "product_id": product_id,
            "sku": sku,
            "name": name,
            "unit_price_cents": price,
            "quantity": (quantity := rng.choice((1, 1, 1, 2, 2, 3))),
            "line_total_cents": price * quantity,
        }
        for product_id, sku, name, price in sorted(lines)
    ]


def _one(rng: random.Random, order_id: int, catalog: Catalog) -> list[dict[str, Any]]:
    product_id, sku, name, price = rng.choice(catalog.in_stock)
    return [
        {
            "order_id": order_id,
            "product_id": product_id,
            "sku": sku,
            "name": name,
            "unit_price_cents": price,
            "quantity": 1,
            "line_total_cents": price,
        }
    ]


def _code(rng: random.Random, catalog: Catalog, subtotal: int) -> tuple[str, str, int] | None:
    usable = [
        (code, kind, value)
        for code, (_id, kind, value, minimum) in sorted(catalog.codes.items())
        if subtotal >= minimum
    ]
    return rng.choice(usable) if usable else None


def _pricing(subtotal: int, code: tuple[str, str, int] | None) -> tuple[int, int, int]:
    """(discount, shipping, value given) as the shop's rules compute them."""
    discount = 0
    if code and code[1] == "percent":
        discount = subtotal * code[2] // 100
    elif code and code[1] == "fixed":
        discount = min(subtotal, code[2])
    normal = 0 if subtotal - discount >= FREE_SHIPPING_FROM else SHIPPING_CENTS
    if code and code[1] == "free_shipping":
        return 0, 0, normal
    return discount, normal, discount


def _order_row(
    order_id: int,
    user_id: int,
    email: str,
    name: str,
    created: datetime,
    subtotal: int,
    discount: int,
    shipping: int,
) -> dict[str, Any]:
    return {
        "id": order_id,
        "number": f"SO-B{order_id}",
        "user_id": user_id,
        "status": "pending",
        "payment_status": "unpaid",
        "currency": "usd",
        "subtotal_cents": subtotal,
        "discount_cents": discount,
        "shipping_cents": shipping,
        "total_cents": subtotal - discount + shipping,
        "refunded_cents": 0,
        "email": email,
        "shipping_name": name,
        "shipping_line1": f"{order_id % 997 + 1} Load Street",
        "shipping_line2": "",
        "shipping_city": "Springfield",
        "shipping_postal_code": "12345",
        "shipping_country": "US",
        "shipping_method": "standard",
        "checkout_attempt": 1,
        "stripe_session_id": f"cs_test_bench_{order_id}",
        "payment_intent_id": None,
        "amount_paid_cents": None,
        "paid_at": None,
        "verified_via": None,
        "processing_at": None,
        "shipped_at": None,
        "delivered_at": None,
        "cancelled_at": None,
        "carrier": None,
        "tracking_number": None,
        "needs_attention": False,
        "attention_reason": None,
        "discount_code": None,
        "created_at": created,
        "updated_at": created,
    }


def _pay(order: dict[str, Any], paid_at: datetime) -> None:
    order.update(
        status="paid",
        payment_status="paid",
        payment_intent_id=f"pi_bench_{order['id']}",
        amount_paid_cents=order["total_cents"],
        paid_at=paid_at,
        verified_via="webhook",
        updated_at=paid_at,
    )


def _redemption(order: dict[str, Any], code_id: int, given: int) -> dict[str, Any]:
    return {
        "discount_code_id": code_id,
        "order_id": order["id"],
        "user_id": order["user_id"],
        "once_key": None,
        "amount_cents": given,
        "created_at": order["paid_at"],
    }


def _fulfil(rng: random.Random, order: dict[str, Any], now: datetime) -> None:
    paid_at: datetime = order["paid_at"]
    age = now - paid_at
    shipped = paid_at + min(timedelta(hours=rng.uniform(2, 48)), age * 0.5)
    delivered = shipped + timedelta(hours=rng.uniform(20, 120))
    order.update(
        status="shipped",
        processing_at=paid_at + (shipped - paid_at) / 2,
        shipped_at=shipped,
        carrier="UPS",
        tracking_number=f"1Z{order['id']:010d}",
        updated_at=shipped,
    )
    if delivered < now:
        order.update(status="delivered", delivered_at=delivered, updated_at=delivered)


def _maybe_refund(rng: random.Random, planned: Planned, now: datetime) -> None:
    order = planned.order
    roll = rng.random()
    if roll >= FULL_REFUND + PARTIAL_REFUND:
        return
    full = roll < FULL_REFUND
    amount = order["total_cents"] if full else max(1, order["total_cents"] // 4)
    at = min(now - timedelta(minutes=1), order["paid_at"] + timedelta(hours=rng.uniform(1, 240)))
    planned.refunds.append(
        {
            "order_id": order["id"],
            "stripe_refund_id": f"re_bench_{order['id']}",
            "amount_cents": amount,
            "reason": "requested_by_customer",
            "restocked": False,
            "actor": "bench",
            "note": "",
            "created_at": at,
        }
    )
    order.update(
        refunded_cents=amount,
        payment_status="refunded" if full else "partially_refunded",
        updated_at=max(order["updated_at"], at),
    )
    if full and rng.random() < 0.5:
        # Refunded before it shipped: cancelled together with the refund.
        order.update(
            status="cancelled",
            cancelled_at=at,
            processing_at=None,
            shipped_at=None,
            delivered_at=None,
            carrier=None,
            tracking_number=None,
        )
