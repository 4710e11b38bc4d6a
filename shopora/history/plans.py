"""Planning the demo orders: when each was placed, by whom, for what, at which price."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from shopora.history.lifecycle import fill_fulfilment_queue, live, refund_some
from shopora.history.world import WINDOW, Customer, Lines, Plan, World
from shopora.models import DiscountCode, Product, ShippingMethod
from shopora.models.base import pk
from shopora.services.discounts import rule_of
from shopora.services.pricing import Line, compute_totals
from shopora.services.shipping import shipping_rates

TARGET_ORDERS = 400
GROWTH = 0.6  # the last day of the window sells ~60 % more than the first
# Monday .. Sunday: weekends sell more.
WEEKDAY_SHAPE = (0.85, 0.9, 0.95, 1.0, 1.1, 1.4, 1.3)
HOURLY_SHAPE = (1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 10, 9, 8, 8, 8, 9, 11, 13, 14, 12, 7, 3)
RECENT_PENDING = 3  # orders placed in the last hour, still awaiting payment


def plan_orders(rng: random.Random, world: World, customers: list[Customer]) -> list[Plan]:
    """Every demo order in time order, lived up to `now`, refunds and the fulfilment queue."""
    plans = _past_orders(rng, world, customers)
    refund_some(rng, plans, world.now)
    plans += _awaiting_payment(rng, world, customers)
    fill_fulfilment_queue(plans, world)
    return plans


def _past_orders(rng: random.Random, world: World, customers: list[Customer]) -> list[Plan]:
    weights = [c.weight for c in customers]
    plans: list[Plan] = []
    recently = world.now - timedelta(days=2)
    for created in _order_times(rng, world.now):
        customer = rng.choices(customers, weights)[0]
        demo_order = world.demo is not None and created > recently
        if demo_order:
            # The demo customer's own latest order is on its way: something to track.
            customer, recently = customers[-1], world.now
        plans.append(_new_plan(rng, world, customer, created, _pick_lines(rng, world)))
        live(rng, plans[-1], world.now, may_abandon=not demo_order)
    return plans


def _awaiting_payment(rng: random.Random, world: World, customers: list[Customer]) -> list[Plan]:
    """A few orders of the last hour, still pending, holding only stock that is free."""
    settled = [c for c in customers if c.user is not world.demo]
    available = {pk(p): p.stock_on_hand for p in world.products}
    plans: list[Plan] = []
    for minutes in sorted(rng.sample(range(4, 56), RECENT_PENDING), reverse=True):
        lines = _pick_lines(rng, world, available)
        plan = _new_plan(
            rng, world, rng.choice(settled), world.now - timedelta(minutes=minutes), lines
        )
        plan.fate = "pending"
        plans.append(plan)
    return plans


def _order_times(rng: random.Random, now: datetime) -> list[datetime]:
    start, first_day = now - WINDOW, (now - WINDOW).date()
    days = [first_day + timedelta(days=i) for i in range((now.date() - first_day).days + 1)]
    shape = _day_shape(days)
    per_unit = TARGET_ORDERS / sum(shape)
    latest = now - timedelta(minutes=90)
    times: list[datetime] = []
    for day, weight in zip(days, shape, strict=True):
        # Day-to-day noise, but no empty days: the dashboard should look alive.
        count = int(weight * per_unit * rng.uniform(0.7, 1.3) + rng.random())
        times += [at for at in _times_of_day(rng, day, count) if start < at < latest]
    return sorted(times)


def _day_shape(days: list[date]) -> list[float]:
    return [
        (1 + GROWTH * i / len(days)) * WEEKDAY_SHAPE[day.weekday()] for i, day in enumerate(days)
    ]


def _times_of_day(rng: random.Random, day: date, count: int) -> list[datetime]:
    midnight = datetime.combine(day, time(), UTC)
    times: list[datetime] = []
    for _ in range(count):
        hour = rng.choices(range(24), HOURLY_SHAPE)[0]
        times.append(midnight + timedelta(hours=hour, seconds=rng.randrange(3600)))
    return times


def _pick_lines(rng: random.Random, world: World, available: dict[int, int] | None = None) -> Lines:
    """1-4 distinct products, mostly one or two of each; with `available`, only what is
    still free to hold (and it is taken from it)."""
    products, weights = _offer(world, available)
    count = min(rng.choices((1, 2, 3, 4), (50, 30, 14, 6))[0], len(products))
    chosen: list[Product] = []
    while len(chosen) < count:
        product = rng.choices(products, weights)[0]
        if product not in chosen:
            chosen.append(product)
    lines = [(p, _quantity(rng, p) if available is None else 1) for p in chosen]
    for product, quantity in lines:
        if available is not None:
            available[pk(product)] -= quantity
    return lines


def _offer(world: World, available: dict[int, int] | None) -> tuple[list[Product], list[float]]:
    products, weights = world.products, world.weights
    if available is not None:
        pairs = [(p, w) for p, w in zip(products, weights, strict=True) if available[pk(p)] > 2]
        products, weights = [p for p, _ in pairs], [w for _, w in pairs]
    return products, weights


def _quantity(rng: random.Random, product: Product) -> int:
    if product.price_cents < 2000:
        return rng.choices((1, 2, 3), (55, 35, 10))[0]
    return rng.choices((1, 2, 3), (84, 14, 2))[0]


def _new_plan(
    rng: random.Random, world: World, customer: Customer, created: datetime, lines: Lines
) -> Plan:
    subtotal = sum(p.price_cents * q for p, q in lines)
    code = _choose_code(rng, world, customer, subtotal)
    method = ShippingMethod.EXPRESS if rng.random() < 0.18 else ShippingMethod.STANDARD
    totals = compute_totals(
        [Line(p.price_cents, q) for p, q in lines],
        method=method,
        rates=shipping_rates(),
        discount=rule_of(code) if code else None,
    )
    customer.placed += 1
    tag = f"{rng.getrandbits(80):020x}"
    return Plan(created, customer, lines, method, code, totals, tag)


def _choose_code(
    rng: random.Random, world: World, customer: Customer, subtotal: int
) -> DiscountCode | None:
    # WELCOME10 on first orders, SAVE15 on big baskets, FREESHIP now and then. LIMITED and
    # EXPIRED are left alone: the demo must not use up or break their rules.
    roll = rng.random()
    name = None
    if customer.placed == 0 and roll < 0.3:
        name = "WELCOME10"
    elif roll < 0.2 and subtotal >= 10000:
        name = "SAVE15"
    elif roll > 0.95:
        name = "FREESHIP"
    code = world.codes.get(name or "")
    if code is None or not code.active or subtotal < code.min_subtotal_cents:
        return None
    return code
