"""The audit trail of one demo order: the OrderEvents its plan implies, in time order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shopora.config import get_settings
from shopora.history.world import FLOW, OPERATOR, Plan, S, World
from shopora.models import EventKind, OrderEvent, OrderStatus, VerifiedVia
from shopora.models.base import pk

Actor = tuple[str, int | None]
Transition = tuple[OrderStatus | None, OrderStatus | None]
STRIPE: Actor = ("stripe", None)


@dataclass
class _Trail:
    """The events of one order as they are added, with the people who act on it."""

    order_id: int
    customer: Actor
    operator: Actor
    events: list[OrderEvent] = field(default_factory=list)

    def add(
        self,
        at: datetime,
        kind: EventKind,
        actor: Actor,
        move: Transition = (None, None),
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            OrderEvent(
                order_id=self.order_id,
                kind=kind,
                from_status=move[0],
                to_status=move[1],
                actor=actor[0],
                actor_user_id=actor[1],
                note=note,
                data=data or {},
                created_at=at,
            )
        )


def order_events(plan: Plan, order_id: int, world: World) -> list[OrderEvent]:
    user = plan.customer.user
    operator = (OPERATOR, world.operator.id if world.operator else None)
    trail = _Trail(order_id, (user.username, user.id), operator)
    _placed(trail, plan)
    if plan.fate == "expired":
        _expired(trail, plan)
    elif plan.fate == "abandoned":
        _abandoned(trail, plan)
    elif plan.fate == "paid":
        _paid(trail, plan)
        _remarks(trail, plan)
        _fulfilment(trail, plan)
        _refunded(trail, plan)
    return sorted(trail.events, key=lambda event: event.created_at)


def _placed(trail: _Trail, plan: Plan) -> None:
    total = {"total": plan.totals.total_cents}
    trail.add(plan.created_at, EventKind.PLACED, trail.customer, (None, S.PENDING), data=total)
    if plan.checkout_at is not None:
        session = {"session_id": plan.session_id, "attempt": 1}
        trail.add(plan.checkout_at, EventKind.PAYMENT_STARTED, trail.customer, data=session)


def _expired(trail: _Trail, plan: Plan) -> None:
    trail.add(
        plan.steps[S.CANCELLED],
        EventKind.CANCELLED,
        STRIPE,
        (S.PENDING, S.CANCELLED),
        "The Stripe Checkout session expired before payment.",
        {"session_id": plan.session_id},
    )


def _abandoned(trail: _Trail, plan: Plan) -> None:
    trail.add(
        plan.steps[S.CANCELLED],
        EventKind.CANCELLED,
        trail.customer,
        (S.PENDING, S.CANCELLED),
        "Cancelled by the customer before paying.",
    )


def _paid(trail: _Trail, plan: Plan) -> None:
    trail.add(
        plan.steps[S.PAID],
        EventKind.PAID,
        STRIPE if plan.via == VerifiedVia.WEBHOOK else trail.customer,
        (S.PENDING, S.PAID),
        data={
            "session_id": plan.session_id,
            "payment_intent": f"pi_demo_{plan.tag}",
            "amount": plan.totals.total_cents,
            "currency": get_settings().currency,
            "via": str(plan.via),
        },
    )


def _remarks(trail: _Trail, plan: Plan) -> None:
    """The operator's flag for attention and note, if the order has them."""
    if plan.attention is not None:
        at = plan.steps[S.PAID] + timedelta(minutes=15)
        trail.add(at, EventKind.NEEDS_ATTENTION, trail.operator, note=plan.attention)
    if plan.note is not None:
        trail.add(plan.note[0], EventKind.NOTE, trail.operator, note=plan.note[1])


def _fulfilment(trail: _Trail, plan: Plan) -> None:
    for before, status in zip(FLOW, FLOW[1:], strict=False):
        if status in plan.steps:
            data = _shipment(plan) if status == S.SHIPPED else None
            kind = EventKind(status.value)
            trail.add(plan.steps[status], kind, trail.operator, (before, status), data=data)


def _shipment(plan: Plan) -> dict[str, Any]:
    carrier, tracking = plan.carrier or ("", "")
    return {"carrier": carrier, "tracking_number": tracking}


def _refunded(trail: _Trail, plan: Plan) -> None:
    refund = plan.refund
    if refund is None:
        return
    data = {
        "amount": refund.amount,
        "refund_id": f"re_demo_{plan.tag}",
        "restock": [[pk(p), q] for p, q in plan.lines] if refund.restock else [],
        "refunded_total": refund.amount,
    }
    trail.add(refund.at, EventKind.REFUNDED, trail.operator, note=refund.note, data=data)
    if refund.cancels:
        steps = plan.steps
        last = max((s for s in steps if s in FLOW), key=FLOW.index)
        note = "Cancelled with a full refund."
        move = (last, S.CANCELLED)
        trail.add(steps[S.CANCELLED], EventKind.CANCELLED, trail.operator, move, note)
