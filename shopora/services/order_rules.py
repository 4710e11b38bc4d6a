"""What may be done to an order now, stated once beside the lifecycle's transitions and
used by the UI, the API and payments alike (as Saleor keeps `can_*` beside its actions)."""

from __future__ import annotations

from shopora.models import Order, OrderStatus, PaymentStatus
from shopora.services.lifecycle import TRANSITIONS

S = OrderStatus
# Paid after it was cancelled (see payments.fulfilment): the money must still go back.
REFUNDABLE_STATUSES = frozenset({S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.CANCELLED})
# A paid order is cancelled only with a full refund, and only before it ships.
CANCELLABLE_WITH_REFUND = frozenset({S.PAID, S.PROCESSING})
_MONEY_IN = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})


def _may_become(order: Order, to: OrderStatus) -> bool:
    return to in TRANSITIONS[OrderStatus(order.status)]


def can_pay(order: Order) -> bool:
    """Only an order awaiting payment opens a Checkout Session or is settled as paid."""
    return order.status == S.PENDING


def can_cancel_unpaid(order: Order) -> bool:
    return order.status == S.PENDING


def can_start_processing(order: Order) -> bool:
    return order.status == S.PAID and _may_become(order, S.PROCESSING)


def can_ship(order: Order) -> bool:
    return _may_become(order, S.SHIPPED)


def can_deliver(order: Order) -> bool:
    return _may_become(order, S.DELIVERED)


def refundable_cents(order: Order) -> int:
    """What is left to refund: the payment less what went back already (0 when nothing
    can be refunded)."""
    paid = order.payment_status in _MONEY_IN and bool(order.payment_intent_id)
    if order.status not in REFUNDABLE_STATUSES or not paid:
        return 0
    return max(0, order.total_cents - order.refunded_cents)


def can_refund(order: Order) -> bool:
    return refundable_cents(order) > 0


def can_cancel_with_refund(order: Order) -> bool:
    """A full refund of a payment nothing was refunded from yet, before the order ships."""
    return (
        order.status in CANCELLABLE_WITH_REFUND
        and order.payment_status == PaymentStatus.PAID
        and order.refunded_cents == 0
        and bool(order.payment_intent_id)
    )


def allowed_actions(order: Order) -> frozenset[str]:
    """The operator actions this order's status and payment allow now."""
    checks = {
        "start_processing": can_start_processing,
        "ship": can_ship,
        "deliver": can_deliver,
        "cancel": can_cancel_unpaid,
        "cancel_with_refund": can_cancel_with_refund,
        "refund": can_refund,
    }
    allowed = {name for name, check in checks.items() if check(order)} | {"add_note"}
    if order.needs_attention:
        allowed.add("resolve_attention")
    return frozenset(allowed)
