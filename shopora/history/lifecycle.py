"""What became of each demo order: checkout, payment, fulfilment, refunds, operator notes."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from shopora.config import get_settings
from shopora.history.world import FLOW, Plan, PlannedRefund, S, World
from shopora.models import OrderStatus, ShippingMethod, VerifiedVia

AWAITING_FULFILMENT = 8
FULL_REFUND_SHARE = 0.03
PARTIAL_REFUND_SHARE = 0.02
ATTENTION_REASONS = (
    "The carrier could not validate the shipping address; confirm the apartment number.",
    "The customer emailed asking to switch to express shipping; confirm before packing.",
)
_NOTES = (
    "Gift wrap requested by the customer.",
    "Customer asked to leave the parcel with a neighbour if nobody is home.",
    "Fragile: packed with extra padding.",
)

RefundKind = Callable[[random.Random, Plan, datetime], bool]


def live(rng: random.Random, plan: Plan, now: datetime, *, may_abandon: bool) -> None:
    """What happened to the order up to `now`: abandoned at checkout, or paid and moved on."""
    plan.checkout_at = plan.created_at + timedelta(seconds=rng.randint(5, 40))
    roll = rng.random() if may_abandon else 1.0
    if roll < 0.065:
        _expire(plan, plan.checkout_at)
    elif roll < 0.09:
        plan.fate = "abandoned"
        plan.steps = {S.CANCELLED: plan.checkout_at + timedelta(minutes=rng.uniform(2, 20))}
    else:
        _pay_and_fulfil(rng, plan, plan.checkout_at, now)
        plan.via = VerifiedVia.RETURN_PAGE if rng.random() < 0.35 else VerifiedVia.WEBHOOK
        plan.carrier = _carrier(rng, plan)
        _maybe_note(rng, plan, now)


def _expire(plan: Plan, checkout_at: datetime) -> None:
    plan.fate = "expired"
    minutes = get_settings().checkout_session_minutes
    plan.steps = {S.CANCELLED: checkout_at + timedelta(minutes=minutes)}


def _pay_and_fulfil(rng: random.Random, plan: Plan, checkout_at: datetime, now: datetime) -> None:
    """Paid minutes after checkout, then each fulfilment step that happened before `now`."""
    express = plan.method == ShippingMethod.EXPRESS
    at = checkout_at + timedelta(seconds=rng.randint(45, 400))
    delays = (
        timedelta(hours=rng.uniform(2, 40)),
        timedelta(hours=rng.uniform(3, 30)),
        timedelta(days=rng.uniform(1, 2.5) if express else rng.uniform(2.5, 6)),
    )
    plan.steps = {S.PAID: at}
    for status, delay in zip(FLOW[1:], delays, strict=True):
        at += delay
        if at <= now:
            plan.steps[status] = at


def _carrier(rng: random.Random, plan: Plan) -> tuple[str, str]:
    if plan.customer.address[4] != "US":
        carrier = rng.choice(("DHL", "DHL", "UPS"))
    elif plan.method == ShippingMethod.EXPRESS:
        carrier = rng.choice(("UPS", "FedEx"))
    else:
        carrier = rng.choice(("USPS", "USPS", "UPS", "FedEx"))
    digits = "".join(rng.choices("0123456789", k=22))
    tracking = {
        "UPS": f"1Z{rng.getrandbits(24):06X}{digits[:10]}",
        "USPS": f"9400{digits[:18]}",
        "FedEx": digits[:12],
        "DHL": digits[:10],
    }[carrier]
    return carrier, tracking


def _maybe_note(rng: random.Random, plan: Plan, now: datetime) -> None:
    at = plan.steps[S.PAID] + timedelta(minutes=rng.uniform(20, 240))
    if rng.random() < 0.04 and at <= now:
        plan.note = (at, rng.choice(_NOTES))


def refund_some(rng: random.Random, plans: list[Plan], now: datetime) -> None:
    """~3 % of paid orders refunded in full (a third before dispatch), ~2 % in part."""
    paid = [plan for plan in plans if plan.fate == "paid"]
    full = round(len(paid) * FULL_REFUND_SHARE)
    partial = round(len(paid) * PARTIAL_REFUND_SHARE)
    kinds: tuple[tuple[RefundKind, int], ...] = (
        (_refund_before_dispatch, full // 3),
        (_return, full - full // 3),
        (_goodwill, partial),
    )
    for refund, wanted in kinds:
        _refund_up_to(rng, paid, refund, wanted, now)


def _refund_up_to(
    rng: random.Random, paid: list[Plan], refund: RefundKind, wanted: int, now: datetime
) -> None:
    """Try `refund` on not yet refunded orders, in random order, until `wanted` succeeded."""
    candidates = [plan for plan in paid if plan.refund is None]
    rng.shuffle(candidates)
    done = 0
    for plan in candidates:
        if done == wanted:
            break
        done += refund(rng, plan, now)


def _refund_before_dispatch(rng: random.Random, plan: Plan, now: datetime) -> bool:
    steps = plan.steps
    at = steps[S.PAID] + timedelta(hours=rng.uniform(1, 20))
    if at > now or at >= steps.get(S.SHIPPED, now):
        return False
    plan.steps = {status: when for status, when in steps.items() if when < at}
    plan.steps[S.CANCELLED] = at + timedelta(seconds=1)
    if plan.note and plan.note[0] >= at:
        plan.note = None
    note = "The customer changed their mind before dispatch."
    plan.refund = PlannedRefund(at, plan.totals.total_cents, restock=True, cancels=True, note=note)
    return True


def _return(rng: random.Random, plan: Plan, now: datetime) -> bool:
    delivered = plan.steps.get(S.DELIVERED)
    at = delivered + timedelta(days=rng.uniform(3, 12)) if delivered else now
    if at >= now:
        return False
    note = "Returned unused within 30 days."
    plan.refund = PlannedRefund(at, plan.totals.total_cents, restock=True, cancels=False, note=note)
    return True


def _goodwill(rng: random.Random, plan: Plan, now: datetime) -> bool:
    delivered, total = plan.steps.get(S.DELIVERED), plan.totals.total_cents
    at = delivered + timedelta(days=rng.uniform(1, 8)) if delivered else now
    amount = min(min(p.price_cents for p, _ in plan.lines), (total * 20 + 50) // 100)
    if at >= now or not 0 < amount < total:
        return False
    note = "Goodwill refund: one item arrived damaged; the customer keeps it."
    plan.refund = PlannedRefund(at, amount, restock=False, cancels=False, note=note)
    return True


def fill_fulfilment_queue(plans: list[Plan], world: World) -> None:
    """The operator console opens on orders to fulfil: keep a few of the newest paid and in
    processing (taken from later stages that have orders to spare), and flag two for attention."""
    _hold_back(plans, S.PROCESSING, 3)
    _hold_back(plans, S.PAID, AWAITING_FULFILMENT)
    awaiting = [
        p for p in reversed(plans) if p.status == S.PAID and p.customer.user is not world.demo
    ]
    for plan, reason in zip(awaiting, ATTENTION_REASONS, strict=False):
        plan.attention = reason


def _hold_back(plans: list[Plan], status: OrderStatus, wanted: int, spare: int = 3) -> None:
    counts = Counter(plan.status for plan in plans)
    later = FLOW[FLOW.index(status) + 1 : -1]  # delivered orders are too old to hold back
    for plan in reversed(plans):
        if counts[status] >= wanted:
            break
        current = plan.status
        if plan.fate == "paid" and not plan.refund and current in later and counts[current] > spare:
            kept = FLOW[: FLOW.index(status) + 1]
            plan.steps = {s: at for s, at in plan.steps.items() if s in kept}
            plan.note = None
            counts[current] -= 1
            counts[status] += 1
