"""What each order event adds to the rollups, as pure arithmetic over plain values.

The live hooks (`shopora.services.rollups`) and the recomputation from source rows
(`shopora.services.rollups_rebuild`) both call these functions, so the two can only differ
if an event was missed or counted twice — which is what `check-rollups` looks for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import SQLModel

from shopora.models import (
    RollupCustomerDay,
    RollupDay,
    RollupDiscountDay,
    RollupDurationDay,
    RollupProductDay,
    RollupStatusDay,
)
from shopora.services.shop_days import shop_day

Key = tuple[object, ...]
Increments = dict[str, int]


@dataclass(frozen=True)
class Line:
    product_id: int
    quantity: int
    line_total_cents: int


@dataclass(frozen=True)
class OrderFacts:
    """The columns of an order (and its lines, by product id) the rollups depend on."""

    user_id: int
    created_at: datetime
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    discount_code: str | None
    lines: tuple[Line, ...]
    paid_at: datetime | None = None


class Tally:
    """Increments per rollup row, gathered before they are written (or compared)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[type[SQLModel], Key], Increments] = defaultdict(
            lambda: defaultdict(int)
        )

    def add(self, model: type[SQLModel], key: Key, **increments: int) -> None:
        row = self.rows[(model, key)]
        for column, amount in increments.items():
            row[column] += amount

    def items(self) -> Iterator[tuple[type[SQLModel], Key, Increments]]:
        """Rows in one fixed order (table, key): concurrent writers lock them alike."""
        for (model, key), row in sorted(self.rows.items(), key=_row_order):
            changed = {column: amount for column, amount in row.items() if amount}
            if changed:
                yield model, key, changed


def _row_order(item: tuple[tuple[type[SQLModel], Key], Increments]) -> tuple[str, str]:
    (model, key), _ = item
    return model.__name__, repr(key)


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split `amount` in proportion to `weights`; largest remainders (then the first line)
    get the leftover cents, so the parts always add up to `amount`."""
    total = sum(weights)
    if total <= 0 or amount == 0:
        return [0] * len(weights)
    parts = [amount * w // total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def placed(tally: Tally, order: OrderFacts, status: str) -> None:
    """An order was placed (counted under `status`, pending when it is new)."""
    day = shop_day(order.created_at)
    tally.add(RollupDay, (day,), placed_orders=1)
    tally.add(RollupStatusDay, (day, status), orders=1)
    tally.add(RollupCustomerDay, (day, order.user_id), placed=1)


def moved(tally: Tally, order: OrderFacts, before: str, after: str) -> None:
    day = shop_day(order.created_at)
    tally.add(RollupStatusDay, (day, before), orders=-1)
    tally.add(RollupStatusDay, (day, after), orders=1)


def paid(tally: Tally, order: OrderFacts, paid_at: datetime) -> None:
    """The order counts as sold on the shop day it was paid."""
    day, placed_day = shop_day(paid_at), shop_day(order.created_at)
    units = sum(line.quantity for line in order.lines)
    tally.add(RollupDay, (day,), paid_orders=1, revenue_cents=order.total_cents, items_sold=units)
    tally.add(RollupDay, (placed_day,), converted_orders=1)
    tally.add(RollupCustomerDay, (placed_day, order.user_id), paid=1)
    tally.add(
        RollupDiscountDay,
        (day, order.discount_code or ""),
        orders=1,
        discount_cents=order.discount_cents,
        revenue_cents=order.total_cents,
    )
    shares = discount_shares(order)
    for line, share in zip(order.lines, shares, strict=True):
        tally.add(
            RollupProductDay,
            (day, line.product_id),
            units=line.quantity,
            gross_cents=line.line_total_cents,
            discount_cents=share,
            net_cents=line.line_total_cents - share,
        )


def discount_shares(order: OrderFacts) -> list[int]:
    return allocate(order.discount_cents, [line.line_total_cents for line in order.lines])


def redeemed(tally: Tally, order: OrderFacts, paid_at: datetime, amount_cents: int) -> None:
    """A counted redemption replaces the order's discount by what the code was worth
    (for free shipping: the shipping waived)."""
    tally.add(
        RollupDiscountDay,
        (shop_day(paid_at), order.discount_code or ""),
        discount_cents=amount_cents - order.discount_cents,
    )


def refunded(
    tally: Tally,
    order: OrderFacts,
    *,
    refunded_at: datetime,
    amount_cents: int,
    before_cents: int,
    after_cents: int,
) -> None:
    """A refund of `amount_cents` took the order's refunded total from `before_cents` to
    `after_cents` (capped at the total). Goods are refunded first, shipping last."""
    tally.add(RollupDay, (shop_day(refunded_at),), refunds_cents=amount_cents, refund_count=1)
    if order.paid_at is None:
        return
    cohort = shop_day(order.paid_at)
    first = before_cents == 0 < after_cents
    full = before_cents < order.total_cents <= after_cents
    tally.add(
        RollupDay,
        (cohort,),
        cohort_refunded_orders=int(first),
        cohort_fully_refunded=int(full),
        cohort_refunded_cents=after_cents - before_cents,
    )
    day = shop_day(refunded_at)
    for line, cents in zip(
        order.lines, _goods_refund(order, before_cents, after_cents), strict=True
    ):
        tally.add(RollupProductDay, (day, line.product_id), refund_cents=cents, net_cents=-cents)


def _goods_refund(order: OrderFacts, before_cents: int, after_cents: int) -> list[int]:
    goods = order.subtotal_cents - order.discount_cents
    weights = [
        line.line_total_cents - share
        for line, share in zip(order.lines, discount_shares(order), strict=True)
    ]
    after = allocate(min(after_cents, goods), weights)
    before = allocate(min(before_cents, goods), weights)
    return [a - b for a, b in zip(after, before, strict=True)]


def shipped(tally: Tally, paid_at: datetime, shipped_at: datetime) -> None:
    _duration(tally, "ship", paid_at, shipped_at)


def delivered(tally: Tally, shipped_at: datetime, delivered_at: datetime) -> None:
    _duration(tally, "deliver", shipped_at, delivered_at)


def _duration(tally: Tally, kind: str, start: datetime, end: datetime) -> None:
    seconds = max(0, int((end - start).total_seconds()))
    day = shop_day(end)
    if kind == "ship":
        tally.add(RollupDay, (day,), shipped_orders=1, paid_to_shipped_seconds=seconds)
    else:
        tally.add(RollupDay, (day,), delivered_orders=1, shipped_to_delivered_seconds=seconds)
    tally.add(RollupDurationDay, (day, kind, seconds // 3600), orders=1)
