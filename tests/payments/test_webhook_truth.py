"""A signed webhook is a hint to look, never the truth: what changes state is what Stripe says
when asked. Ids that cannot exist are acknowledged as ignored (Stripe must not redeliver them
for days), and everything is on the webhook log. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from shopora.models import (
    AttemptOutcome,
    DiscountKind,
    EventKind,
    OrderEvent,
    OrderStatus,
    PaymentAttempt,
    ProcessedStripeEvent,
    WebhookDisposition,
)
from shopora.payments import attempts
from shopora.services.discounts import find_code

from .conftest import Shop
from .harness import event_for, pay, submit_card


def log_row(shop: Shop, event_id: str) -> ProcessedStripeEvent:
    with shop.session() as session:
        return session.exec(
            select(ProcessedStripeEvent).where(ProcessedStripeEvent.event_id == event_id)
        ).one()


def timeline(shop: Shop, order_id: int) -> list[str]:
    with shop.session() as session:
        rows = session.exec(select(OrderEvent).where(OrderEvent.order_id == order_id)).all()
        return [row.kind for row in rows]


def attempts_of(shop: Shop, order_id: int) -> list[PaymentAttempt]:
    with shop.session() as session:
        return attempts.for_order(session, order_id)


def test_an_expired_event_for_a_session_stripe_still_has_open_changes_nothing(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given a pending order whose Checkout Session is open at Stripe
    user, product = shop.customer(), shop.product(stock_on_hand=5)
    shop.set_cart(user, product, 2)
    order = shop.place(user)
    started = shop.start(order)

    # when a correctly signed checkout.session.expired names it
    event = event_for("checkout.session.expired", {"id": started.session_id, "status": "expired"})
    outcome = shop.webhook(event)

    # then nothing changed: the order is pending, its stock held, and the customer can pay
    assert outcome.startswith("ignored: Stripe says session")
    assert shop.order(order.id).status == OrderStatus.PENDING
    assert shop.product_row(product.id).reserved == 2
    assert log_row(shop, event["id"]).disposition == WebhookDisposition.IGNORED
    pay(started.url)
    assert shop.fulfil(started.session_id, acting_user_id=user.id).status == OrderStatus.PAID


def test_an_expired_event_stripe_confirms_cancels_and_releases_the_holds(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given a pending order holding LIMITED and stock, whose session Stripe has expired
    shop.code("LIMITED", DiscountKind.PERCENT, 20, max_redemptions=1, once_per_customer=True)
    user, product = shop.customer(), shop.product(stock_on_hand=5)
    shop.set_cart(user, product, 2)
    order = shop.place(user, discount_code="LIMITED")
    started = shop.start(order)
    shop.gateway.expire_session(started.session_id)

    # when Stripe's expired event arrives
    outcome = shop.webhook(event_for("checkout.session.expired", {"id": started.session_id}))

    # then the order is cancelled, its stock and its code use are free, and the attempt says so
    assert "cancelled" in outcome
    assert shop.order(order.id).status == OrderStatus.CANCELLED
    assert shop.product_row(product.id).reserved == 0
    with shop.session() as session:
        code = find_code(session, "LIMITED")
        assert code is not None and code.reserved_count == 0
    (attempt,) = attempts_of(shop, order.id or 0)
    assert attempt.outcome == AttemptOutcome.EXPIRED


BAD_SESSION_IDS: dict[str, Any] = {
    "empty": "",
    "path traversal": "cs_test_a/../../v1/refunds",
    "nul byte": "cs_test_abc\x00def",
    "not a string": {"id": "cs_test_abc"},
    "unknown": "cs_test_doesnotexistanywhere",
}


@pytest.mark.parametrize("bad", BAD_SESSION_IDS.values(), ids=BAD_SESSION_IDS.keys())
@pytest.mark.parametrize(
    "event_type",
    [
        "checkout.session.completed",
        "checkout.session.expired",
        "checkout.session.async_payment_failed",
    ],
)
def test_a_signed_event_naming_a_session_that_cannot_exist_is_ignored_and_logged(
    any_db_shop: Shop, event_type: str, bad: Any
) -> None:
    event = event_for(event_type, {"id": bad})
    outcome = any_db_shop.webhook(event)
    assert outcome.startswith("ignored")
    assert log_row(any_db_shop, event["id"]).disposition == WebhookDisposition.IGNORED


@pytest.mark.parametrize("bad", ["", "pi_\x00", "pi_a/../b", None, 42])
def test_a_refund_event_with_a_payment_intent_that_cannot_exist_is_ignored(
    any_db_shop: Shop, bad: Any
) -> None:
    event = event_for("charge.refunded", {"id": "ch_1", "payment_intent": bad})
    assert any_db_shop.webhook(event).startswith("ignored")


@pytest.mark.parametrize("bad_id", ["evt_\x00nul", "", "evt_a/../b", "x" * 400])
def test_an_event_whose_own_id_cannot_exist_is_logged_once_under_a_safe_key(
    any_db_shop: Shop, bad_id: str
) -> None:
    # given a signed event with an id no Stripe event has
    event = event_for("checkout.session.completed", {"id": "cs_test_abc"}) | {"id": bad_id}

    # when it is delivered twice
    first = any_db_shop.webhook(event)
    second = any_db_shop.webhook(event)

    # then it is ignored, logged once, and the replay is a duplicate
    assert first.startswith("ignored: malformed event id") and second == "duplicate"
    with any_db_shop.session() as session:
        rows = session.exec(select(ProcessedStripeEvent)).all()
    assert len(rows) == 1 and rows[0].event_id.startswith("malformed_")


def test_a_late_payment_failure_for_a_paid_order_stays_off_its_timeline(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given an order that is paid
    order = shop.paid_order()
    before = timeline(shop, order.id or 0)

    # when a payment failure for its session arrives late
    session_id = order.stripe_session_id or ""
    event = event_for("checkout.session.async_payment_failed", {"id": session_id})
    outcome = shop.webhook(event)

    # then it is recorded on the webhook log only: the order's history is unchanged
    assert outcome.startswith("ignored")
    assert timeline(shop, order.id or 0) == before
    assert EventKind.PAYMENT_FAILED not in before
    row = log_row(shop, event["id"])
    assert row.disposition == WebhookDisposition.IGNORED and row.order_id == order.id


def test_a_declined_then_resumed_payment_leaves_both_attempts_on_record(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given a pending order whose first session expired unpaid
    user = shop.customer()
    shop.set_cart(user, shop.product(), 1)
    order = shop.place(user)
    first = shop.start(order)
    shop.gateway.expire_session(first.session_id)

    # when the customer pays again (a new session) and it is verified
    second = shop.start(order)
    pay(second.url)
    shop.fulfil(second.session_id, acting_user_id=user.id)

    # then the first attempt is superseded and the second paid, with its payment intent
    rows = attempts_of(shop, order.id or 0)
    assert [(r.attempt, r.outcome) for r in rows] == [
        (1, AttemptOutcome.SUPERSEDED),
        (2, AttemptOutcome.PAID),
    ]
    assert rows[1].payment_intent_id and rows[1].verified_via == "return_page"
    assert rows[1].amount_cents == shop.order(order.id).total_cents


def test_a_declined_card_is_on_the_attempt_and_the_timeline_and_the_session_stays_payable(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given a pending order on Stripe's hosted page
    user = shop.customer()
    shop.set_cart(user, shop.product(), 1)
    order = shop.place(user)
    started = shop.start(order)

    # when the customer's card is declined, and Stripe's payment_intent.payment_failed arrives
    assert submit_card(started.url, "4000000000009995").status_code == 402
    (event,) = shop.stripe.events("payment_intent.payment_failed")
    outcome = shop.webhook(event)

    # then the attempt counts the decline, the timeline says why, and the order stays payable
    assert outcome.endswith("decline recorded, still payable")
    (attempt,) = attempts_of(shop, order.id or 0)
    assert attempt.outcome == AttemptOutcome.OPEN and attempt.declines == 1
    assert "insufficient_funds" in attempt.note
    assert EventKind.PAYMENT_FAILED in timeline(shop, order.id or 0)
    pay(started.url)
    assert shop.fulfil(started.session_id, acting_user_id=user.id).status == OrderStatus.PAID
    # and a replay of the decline after payment is a duplicate, a new one is ignored
    assert shop.webhook(event) == "duplicate"
    late = event | {"id": "evt_late_decline_replayed"}
    assert shop.webhook(late).startswith("ignored")
