"""Fulfilment is safe to run many times at once: return pages, webhooks and duplicates."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from shopora.models import (
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    EventKind,
    InventoryMovement,
    MovementReason,
    OrderEvent,
    OrderStatus,
    ProcessedStripeEvent,
)

from .conftest import Shop
from .harness import event_for, pay


def test_twenty_concurrent_confirmations_settle_the_order_exactly_once(any_db_shop: Shop) -> None:
    shop = any_db_shop
    # given a discounted two-line order, paid at Stripe but not yet confirmed
    user = shop.customer()
    lamp, mat = shop.product(price_cents=4000), shop.product(price_cents=1500)
    shop.code("TEN", DiscountKind.PERCENT, 10, max_redemptions=5)
    shop.set_cart(user, lamp, 3)
    shop.set_cart(user, mat, 2)
    order = shop.place(user, discount_code="TEN")
    shop.set_cart(user, lamp, 4)  # one more lamp added after placing the order
    started = shop.start(order)
    pay(started.url)
    (completed,) = shop.stripe.events("checkout.session.completed")
    # Stripe may deliver the same event more than once, and a second event type follows
    # async payments; five copies of the real event and five distinct events.
    session_object = completed["data"]["object"]
    distinct = [event_for("checkout.session.completed", session_object)]
    distinct += [
        event_for("checkout.session.async_payment_succeeded", session_object) for _ in range(4)
    ]
    webhook_events = [completed] * 5 + distinct

    # when ten return pages and ten webhook deliveries confirm it at the same moment
    barrier = threading.Barrier(20)

    def together(action: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            barrier.wait()
            return action()

        return run

    calls = [together(lambda: shop.fulfil(started.session_id, acting_user_id=user.id))] * 10
    calls += [together(lambda e=event: shop.webhook(e)) for event in webhook_events]
    with ThreadPoolExecutor(20) as pool:
        results = [future.result(timeout=60) for future in [pool.submit(c) for c in calls]]

    # then every caller saw a paid order
    assert all(r.status == OrderStatus.PAID for r in results[:10])
    outcomes = results[10:]
    assert outcomes.count("duplicate") >= 4  # the five copies: one handled, four duplicates
    with shop.session() as session:

        def count(model: Any, *where: Any) -> int:
            return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

        # and there was exactly one paid transition
        assert count(OrderEvent, OrderEvent.order_id == order.id, OrderEvent.kind == "paid") == 1
        # one sale per line
        sales = session.exec(
            select(InventoryMovement.product_id, func.count(), func.sum(InventoryMovement.delta))
            .where(
                InventoryMovement.order_id == order.id,
                InventoryMovement.reason == MovementReason.SALE,
            )
            .group_by(col(InventoryMovement.product_id))
        ).all()
        assert sorted(sales) == sorted([(lamp.id, 1, -3), (mat.id, 1, -2)])
        # one redemption
        assert count(DiscountRedemption, DiscountRedemption.order_id == order.id) == 1
        assert session.exec(select(DiscountCode)).one().redemption_count == 1
        # and each event id recorded once (6 distinct ids)
        assert count(ProcessedStripeEvent) == 6
        attention = OrderEvent.kind == EventKind.NEEDS_ATTENTION
        assert count(OrderEvent, OrderEvent.order_id == order.id, attention) == 0
    # and the cart was cleaned once: the lamp added later stays
    assert shop.cart(user) == {lamp.id: 1}
    assert shop.product_row(lamp.id).stock_on_hand == 7
