"""Refunds go through Stripe and are mirrored locally, once each."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from shopora.errors import RefundRefused, ValidationFailed
from shopora.models import (
    EventKind,
    InventoryMovement,
    MovementReason,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    Refund,
)
from shopora.payments import refunds
from shopora.services import lifecycle, orders
from shopora.services.actors import Actor

from .conftest import Shop
from .harness import event_for, pay

OPERATOR = Actor("olivia")


def refund(shop: Shop, order: Order, **kwargs: Any) -> Order:
    with shop.session() as session:
        return refunds.refund_order(
            session=session, order_id=order.id or 0, actor=OPERATOR, gateway=shop.gateway, **kwargs
        )


def stripe_refunds(shop: Shop, order: Order) -> list[int]:
    return [r.amount for r in shop.gateway.list_refunds(order.payment_intent_id or "")]


def local_refunds(shop: Shop, order: Order) -> list[Refund]:
    with shop.session() as session:
        statement = select(Refund).where(Refund.order_id == order.id).order_by(col(Refund.id))
        return list(session.exec(statement).all())


def refund_movements(shop: Shop, order: Order) -> list[tuple[int, int]]:
    with shop.session() as session:
        statement = select(InventoryMovement).where(
            InventoryMovement.order_id == order.id,
            InventoryMovement.reason == MovementReason.REFUND,
        )
        return [(m.product_id, m.delta) for m in session.exec(statement).all()]


def test_a_partial_refund_then_the_rest(shop: Shop) -> None:
    # given a paid order of 2 x $25.00 + $5.99 shipping
    order = shop.paid_order()
    assert order.total_cents == 5599

    # when the operator refunds $10.00, then whatever is left
    partly = refund(shop, order, amount_cents=1000, note="Scratched box")
    fully = refund(shop, order)

    # then Stripe refunded both amounts and the order mirrors them
    assert (partly.payment_status, partly.refunded_cents) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        1000,
    )
    assert (fully.payment_status, fully.refunded_cents) == (PaymentStatus.REFUNDED, 5599)
    assert sorted(stripe_refunds(shop, order)) == [1000, 4599]
    rows = local_refunds(shop, order)
    assert [(r.amount_cents, r.actor, r.note) for r in rows] == [
        (1000, "olivia", "Scratched box"),
        (4599, "olivia", ""),
    ]
    assert fully.status == OrderStatus.PAID  # refunding alone does not cancel
    with shop.session() as session:
        events = lifecycle.events(session=session, order_id=order.id or 0)
    refunded = [e.data for e in events if e.kind == EventKind.REFUNDED]
    assert [(d["amount"], d["refunded_total"]) for d in refunded] == [(1000, 1000), (4599, 5599)]


@pytest.mark.parametrize("amount", [0, -5, 5600])
def test_refunding_more_than_is_left_or_nothing_is_refused_before_stripe(
    shop: Shop, amount: int
) -> None:
    order = shop.paid_order()
    with pytest.raises(ValidationFailed) as refused:
        refund(shop, order, amount_cents=amount)
    assert refused.value.field == "amount_cents"
    assert stripe_refunds(shop, order) == []
    assert shop.order(order.id).refunded_cents == 0


def test_a_fully_refunded_or_unpaid_order_has_nothing_left_to_refund(shop: Shop) -> None:
    order = shop.paid_order()
    refund(shop, order)
    with pytest.raises(RefundRefused):
        refund(shop, order, amount_cents=1)
    user = shop.customer()
    shop.set_cart(user, shop.product(), 1)
    with pytest.raises(RefundRefused):
        refund(shop, shop.place(user))


def test_a_full_refund_with_restock_puts_the_goods_back_through_the_ledger(shop: Shop) -> None:
    order = shop.paid_order(quantity=3)
    (item,) = [i.product_id for i in _items(shop, order)]
    assert shop.product_row(item).stock_on_hand == 7

    refund(shop, order, restock=True)

    assert shop.product_row(item).stock_on_hand == 10
    assert refund_movements(shop, order) == [(item, 3)]
    assert local_refunds(shop, order)[0].restocked is True


def test_a_partial_refund_restocks_only_the_chosen_items_and_never_more_than_sold(
    shop: Shop,
) -> None:
    order = shop.paid_order(quantity=3)
    (item,) = [i.product_id for i in _items(shop, order)]

    with pytest.raises(ValidationFailed) as everything:
        refund(shop, order, amount_cents=2500, restock=True)
    assert everything.value.field == "restock_items"
    refund(shop, order, amount_cents=2500, restock_items={item: 1})
    with pytest.raises(ValidationFailed):
        refund(shop, order, amount_cents=2500, restock_items={item: 3})

    assert refund_movements(shop, order) == [(item, 1)]
    assert shop.product_row(item).stock_on_hand == 8


def test_a_full_refund_can_cancel_an_unshipped_order(shop: Shop) -> None:
    order = shop.paid_order()

    cancelled = refund(shop, order, restock=True, cancel=True, note="Customer changed their mind")

    assert (cancelled.status, cancelled.payment_status) == (
        OrderStatus.CANCELLED,
        PaymentStatus.REFUNDED,
    )
    assert cancelled.cancelled_at is not None


def test_only_a_full_refund_of_an_unshipped_order_cancels_it(shop: Shop) -> None:
    order = shop.paid_order()
    with pytest.raises(ValidationFailed) as partial:
        refund(shop, order, amount_cents=100, cancel=True)
    assert partial.value.field == "cancel"
    with shop.session() as session:
        lifecycle.start_processing(session=session, order_id=order.id or 0, actor=OPERATOR)
        lifecycle.ship(
            session=session,
            order_id=order.id or 0,
            actor=OPERATOR,
            carrier="UPS",
            tracking_number="1Z999AA10123456784",
        )
    with pytest.raises(ValidationFailed):
        refund(shop, order, cancel=True)
    assert stripe_refunds(shop, order) == []


def test_refunds_made_at_stripe_are_mirrored_once(shop: Shop) -> None:
    # given a paid order refunded in part from Stripe's dashboard
    order = shop.paid_order()
    shop.stripe.client().v1.refunds.create(
        {"payment_intent": order.payment_intent_id or "", "amount": 700}
    )
    (event,) = shop.stripe.events("charge.refunded")

    # when the webhook arrives, is replayed, a second event says the same, and an
    # operator asks to sync
    first = shop.webhook(event)
    replay = shop.webhook(event)
    later = shop.webhook(event_for("charge.refunded", event["data"]["object"]))
    with shop.session() as session:
        refunds.mirror_refunds(
            session, order.payment_intent_id or "", OPERATOR, gateway=shop.gateway
        )

    # then the refund is recorded exactly once
    assert (first, replay, later) == ("1 refund(s) mirrored", "duplicate", "0 refund(s) mirrored")
    mirrored = shop.order(order.id)
    assert (mirrored.refunded_cents, mirrored.payment_status) == (
        700,
        PaymentStatus.PARTIALLY_REFUNDED,
    )
    (row,) = local_refunds(shop, order)
    assert (row.amount_cents, row.actor) == (700, "stripe")


def test_our_own_refund_is_not_counted_again_when_its_webhook_arrives(shop: Shop) -> None:
    order = shop.paid_order()
    refund(shop, order, amount_cents=500)
    (event,) = shop.stripe.events("charge.refunded")

    assert shop.webhook(event) == "0 refund(s) mirrored"
    assert shop.order(order.id).refunded_cents == 500
    assert len(local_refunds(shop, order)) == 1


def test_a_payment_that_arrives_after_cancellation_is_flagged_and_refundable(
    shop: Shop,
) -> None:
    # given an order cancelled (without expiring its session) while the customer was paying
    user = shop.customer()
    product = shop.product()
    shop.set_cart(user, product, 2)
    order = shop.place(user)
    started = shop.start(order)
    with shop.session() as session:
        locked = lifecycle.locked_order(session, order.id or 0)
        lifecycle.cancel_pending(session, locked, OPERATOR, reason="Cancelled by phone")
        session.commit()
    pay(started.url)

    # when the payment is confirmed (twice)
    shop.fulfil(started.session_id)
    settled = shop.fulfil(started.session_id)

    # then the order stays cancelled, its stock untouched, and the operator is told to refund
    assert (settled.status, settled.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.PAID)
    assert settled.needs_attention and "refund the payment" in (settled.attention_reason or "")
    assert shop.product_row(product.id).stock_on_hand == 10
    with shop.session() as session:
        flags = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == order.id, OrderEvent.kind == EventKind.NEEDS_ATTENTION
            )
        ).all()
    assert len(flags) == 1
    # and the refund goes through
    refunded = refund(shop, order, restock=True)
    assert refunded.payment_status == PaymentStatus.REFUNDED
    assert refund_movements(shop, order) == []  # nothing was taken, nothing goes back


def _items(shop: Shop, order: Order) -> list[OrderItem]:
    with shop.session() as session:
        return orders.order_items(session=session, order_id=order.id or 0)
