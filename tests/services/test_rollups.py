"""Rollups follow every lifecycle event: after any sequence of actions, the stored rollups
equal the ones recomputed from the source rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, delete

from shopora import cli
from shopora.config import get_settings
from shopora.db import get_engine, session_scope
from shopora.models import (
    CartItem,
    DiscountCode,
    DiscountKind,
    Order,
    OrderStatus,
    PaymentStatus,
    RollupDay,
    RollupProductDay,
    VerifiedVia,
)
from shopora.models import base as model_base
from shopora.payments.fulfilment import settle
from shopora.payments.refunds import apply_refunds
from shopora.payments.stripe_objects import CheckoutSessionInfo, RefundInfo
from shopora.services import analytics, analytics_rollups, analytics_rollups_ops, lifecycle, orders
from shopora.services.actors import Actor
from shopora.services.analytics_base import DateRange
from shopora.services.rollup_facts import Tally
from shopora.services.rollups import write
from shopora.services.rollups_rebuild import differences, rebuild
from shopora.services.shipping import ShippingAddress
from shopora.services.uow import transaction
from tests.factories import make_product, make_user
from tests.together import at_once

ACTIONS = ("place", "pay", "refund_part", "refund_all", "cancel", "ship", "deliver")
ADDRESS = ShippingAddress("Ada Lovelace", "1 Analytical St", "London", "N1 9GU", "GB")
S = OrderStatus


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Every `utcnow()` in the app reads this clock, so a test can cross shop days."""
    clock = Clock()

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

    monkeypatch.setattr(model_base, "datetime", Frozen)
    return clock


@dataclass
class Shop:
    users: list[int]
    products: list[int]
    codes: list[str | None]
    orders: list[int] = field(default_factory=list)


@pytest.fixture
def shop(session: Session) -> Shop:
    users = [make_user(session).id or 0 for _ in range(2)]
    products = [
        make_product(session, price_cents=price, stock_on_hand=100_000).id or 0
        for price in (1999, 4550, 725)
    ]
    for code, kind, value in (
        ("TENOFF", DiscountKind.PERCENT, 10),
        ("SHIPFREE", "free_shipping", 0),
    ):
        session.add(DiscountCode(code=code, kind=kind, value=value))
    session.commit()
    return Shop(users, products, [None, "TENOFF", "SHIPFREE"])


def place(session: Session, shop: Shop, pick: int) -> None:
    user_id = shop.users[pick % len(shop.users)]
    for k in range(1 + (pick // 3) % 2):
        product_id = shop.products[(pick + k) % len(shop.products)]
        session.add(CartItem(user_id=user_id, product_id=product_id, quantity=1 + (pick // 2) % 2))
    session.commit()
    order = orders.place_order(
        session=session,
        user_id=user_id,
        shipping=ADDRESS,
        discount_code=shop.codes[pick % len(shop.codes)],
        idempotency_key=uuid.uuid4().hex,
    )
    session.exec(delete(CartItem))
    session.commit()
    if order.id not in shop.orders:
        shop.orders.append(order.id or 0)


def pay(session: Session, order: Order) -> None:
    unpaid = order.payment_status == PaymentStatus.UNPAID
    if not unpaid or order.status not in (S.PENDING, S.CANCELLED):
        return
    order.stripe_session_id = f"cs_test_{order.id}"
    session.add(order)
    session.commit()
    info = CheckoutSessionInfo(
        id=order.stripe_session_id,
        status="complete",
        payment_status="paid",
        amount_total=order.total_cents,
        amount_subtotal=order.subtotal_cents,
        currency="usd",
        client_reference_id=str(order.id),
        metadata={},
        payment_intent=f"pi_test_{order.id}",
        url=None,
        expires_at=model_base.utcnow() + timedelta(minutes=30),
        customer_email=order.email,
    )
    settle(session, info, order.id or 0, VerifiedVia.WEBHOOK, Actor.system())


def refund(session: Session, order: Order, *, whole: bool) -> None:
    remaining = order.total_cents - order.refunded_cents
    if order.paid_at is None or remaining <= 0:
        return
    amount = remaining if whole else max(1, remaining // 3)
    info = RefundInfo(f"re_{uuid.uuid4().hex}", amount, "succeeded", order.payment_intent_id)
    with transaction(session):
        apply_refunds(session, order.id or 0, [info], Actor.system())


def cancel(session: Session, order: Order) -> None:
    with transaction(session):
        locked = lifecycle.locked_order(session, order.id or 0)
        if locked.status == S.PENDING:
            lifecycle.cancel_pending(session, locked, Actor.system(), reason="test")
        elif locked.status in (S.PAID, S.PROCESSING) and (
            locked.payment_status == PaymentStatus.REFUNDED
        ):
            lifecycle.cancel_refunded(session, locked, Actor.system(), note="test")


def ship(session: Session, order: Order) -> None:
    order_id, actor = order.id or 0, Actor.system()
    if order.status == S.PAID:
        lifecycle.start_processing(session=session, order_id=order_id, actor=actor)
    if order.status in (S.PAID, S.PROCESSING):
        lifecycle.ship(
            session=session, order_id=order_id, actor=actor, carrier="UPS", tracking_number="1Z999"
        )


def deliver(session: Session, order: Order) -> None:
    if order.status == S.SHIPPED:
        lifecycle.deliver(session=session, order_id=order.id or 0, actor=Actor.system())


def act(session: Session, shop: Shop, action: str, pick: int) -> None:
    if action == "place" or not shop.orders:
        place(session, shop, pick)
        return
    order = session.get(Order, shop.orders[pick % len(shop.orders)], populate_existing=True)
    assert order is not None
    if action == "pay":
        pay(session, order)
    elif action in ("refund_part", "refund_all"):
        refund(session, order, whole=action == "refund_all")
    elif action == "cancel":
        cancel(session, order)
    elif action == "ship":
        ship(session, order)
    else:
        deliver(session, order)


steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, 5), st.integers(0, 20)),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_lifecycle_actions_keeps_rollups_equal_to_the_source_rows(
    session: Session, shop: Shop, clock: Clock, steps: list[tuple[str, int, int]]
) -> None:
    # given a shop whose orders are placed, paid, refunded, cancelled, shipped and delivered
    # in any order, hours apart (so across shop days)
    session.exec(delete(CartItem))
    session.commit()
    for action, pick, hours in steps:
        clock.now += timedelta(hours=hours, minutes=pick * 7)
        act(session, shop, action, pick)
    # when the rollups are recomputed from the source rows
    found = differences(session)
    # then they are exactly what the live updates wrote
    assert [str(d) for d in found] == []
    # and every dashboard and analytics number read from them is the plain-SQL one (with a
    # shopper who has only a cart, and a shopper who also ordered: the funnel's first step)
    for user_id in shop.users[: 1 + len(steps) % 2]:
        session.add(CartItem(user_id=user_id, product_id=shop.products[0], quantity=1))
    session.commit()
    first = Clock.now.date()
    for days in (1, 2, 7, 90):
        assert_readers_agree(session, DateRange.between_days(first, first + timedelta(days - 1)))


def assert_readers_agree(session: Session, period: DateRange) -> None:
    for name in ("kpis", "revenue_by_day", "revenue_by_category", "orders_by_status"):
        from_rollups = getattr(analytics_rollups, name)(session=session, period=period)
        assert from_rollups == getattr(analytics, name)(session=session, period=period), name
    assert analytics_rollups.top_products(
        session=session, period=period, limit=100
    ) == analytics.top_products(session=session, period=period, limit=100)
    for name in ("revenue_trend", "category_mix", "discount_impact", "funnel", "refund_rate"):
        from_rollups = getattr(analytics_rollups_ops, name)(session=session, period=period)
        assert from_rollups == getattr(analytics, name)(session=session, period=period), name
    speed = analytics_rollups_ops.fulfilment_speed(session=session, period=period)
    plain = analytics.fulfilment_speed(session=session, period=period)
    assert speed.paid_to_shipped_samples == plain.paid_to_shipped_samples
    assert speed.paid_to_shipped_hours_avg == plain.paid_to_shipped_hours_avg
    assert speed.shipped_to_delivered_samples == plain.shipped_to_delivered_samples
    assert speed.shipped_to_delivered_hours_avg == plain.shipped_to_delivered_hours_avg


def test_a_rebuild_repairs_rollups_that_drifted(session: Session, shop: Shop, clock: Clock) -> None:
    # given a paid order whose rollups were tampered with
    place(session, shop, 1)
    order = session.get(Order, shop.orders[0])
    assert order is not None
    pay(session, order)
    session.exec(delete(CartItem))
    session.exec(delete(RollupDay))
    session.commit()
    assert differences(session), "the check notices the missing rows"
    # when they are rebuilt
    rebuild(session)
    session.commit()
    # then the check passes
    assert differences(session) == []


def test_two_transactions_adding_to_the_same_day_and_product_both_count(engine: Engine) -> None:
    # given two transactions that each sell the same product on the same day
    day = date(2026, 3, 2)

    def sell(units: int, started: threading.Event, release: threading.Event) -> None:
        with Session(engine) as session:
            tally = Tally()
            tally.add(RollupProductDay, (day, 7), units=units, gross_cents=units * 100)
            write(session, tally)
            started.set()
            release.wait(timeout=10)
            session.commit()

    first_started, second_started, release = threading.Event(), threading.Event(), threading.Event()
    first = threading.Thread(target=sell, args=(1, first_started, release))
    first.start()
    assert first_started.wait(timeout=10)
    # when the second writes while the first has not committed yet
    second = threading.Thread(target=sell, args=(2, second_started, threading.Event()))
    second.start()
    assert not second_started.wait(timeout=0.5), "the second waits for the first to commit"
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    # then the row holds both increments
    with Session(engine) as session:
        row = session.get(RollupProductDay, (day, 7))
        assert row is not None
        assert (row.units, row.gross_cents, row.net_cents) == (3, 300, 0)


def test_the_shop_time_zone_decides_the_day_an_order_counts_on(
    session: Session, shop: Shop, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a shop in Tokyo and an order placed at 21:30 UTC (06:30 the next day there)
    monkeypatch.setenv("SHOP_TIMEZONE", "Asia/Tokyo")
    get_settings.cache_clear()
    try:
        place(session, shop, 0)
        # then it counts on the Tokyo day, and the check agrees
        day = session.get(RollupDay, (date(2026, 3, 2),))
        assert day is not None and day.placed_orders == 1
        assert differences(session) == []
    finally:
        get_settings.cache_clear()


def test_check_rollups_exits_non_zero_naming_each_difference(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a database whose rollups say a day had a sale that no order explains
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        with session_scope() as session:
            session.add(RollupDay(day=date(2026, 3, 2), paid_orders=1))
            session.commit()
        # when the check runs
        with pytest.raises(SystemExit) as exited:
            cli.main(["check-rollups"])
        # then it fails and names the row, the column and both values
        assert "1 rollup values differ" in str(exited.value.code)
        assert (
            "rollup_days[2026-03-02].paid_orders: stored 1, recomputed 0" in capsys.readouterr().out
        )
        # and after a rebuild it passes
        cli.main(["rebuild-rollups"])
        cli.main(["check-rollups"])
        assert "Rollups match the source rows." in capsys.readouterr().out
    finally:
        get_engine.cache_clear()
        get_settings.cache_clear()


def test_placements_and_payments_at_once_never_deadlock_on_the_rollups(
    engine: Engine, session: Session
) -> None:
    # given six pending orders of six customers, and six more customers with a cart
    product = make_product(session, price_cents=1500, stock_on_hand=1_000).id or 0
    buyers = [make_user(session).id or 0 for _ in range(12)]
    for user_id in buyers:
        session.add(CartItem(user_id=user_id, product_id=product, quantity=1))
    session.commit()
    pending = [
        orders.place_order(session=session, user_id=user_id, shipping=ADDRESS)
        for user_id in buyers[:6]
    ]

    def placing(user_id: int) -> Any:
        return lambda db: orders.place_order(session=db, user_id=user_id, shipping=ADDRESS)

    def paying(order_id: int) -> Any:
        return lambda db: pay(db, orders.get_order(session=db, order_id=order_id))

    # when the six pay while the other six place orders, all at the same moment (a payment
    # touches the day's status counts and then its sales; a placement the same rows)
    calls = [paying(o.id or 0) for o in pending] + [placing(u) for u in buyers[6:]]
    outcomes = at_once(engine, calls)

    # then nobody failed (PostgreSQL would report a deadlock), and the rollups add up
    assert outcomes.errors == []
    with Session(engine) as fresh:
        assert differences(fresh) == []
