"""Reconciliation settles what nobody was listening for; the emulator survives a restart."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from shopora.config import get_settings
from shopora.db import get_engine
from shopora.models import Order, OrderStatus, Product, User, VerifiedVia
from shopora.models.base import utcnow
from shopora.payments import reconcile as reconciliation
from shopora.payments.gateway import get_gateway
from shopora.payments.reconcile import ReconcileReport

from .conftest import Shop
from .harness import pay, start_emulator, wait_until


def pending(shop: Shop) -> tuple[User, Product, Order]:
    user = shop.customer()
    product = shop.product()
    shop.set_cart(user, product, 2)
    return user, product, shop.place(user)


def run(shop: Shop, minutes_later: float = 0) -> ReconcileReport:
    now = shop.gateway.now() + timedelta(minutes=minutes_later)
    with shop.session() as session:
        return reconciliation.reconcile(session=session, gateway=shop.gateway, now=now)


def test_a_paid_session_whose_webhook_never_arrived_is_fulfilled(shop: Shop) -> None:
    # given a customer who paid and closed the tab, and a webhook that was lost
    _user, product, order = pending(shop)
    pay(shop.start(order).url)

    # when reconciliation runs
    report = run(shop)

    # then the order is paid, verified by reconciliation
    assert report.fulfilled == [order.number]
    paid = shop.order(order.id)
    assert (paid.status, paid.verified_via) == (OrderStatus.PAID, VerifiedVia.RECONCILIATION)
    assert shop.product_row(product.id).stock_on_hand == 8


def test_an_expired_session_cancels_its_order_and_releases_the_hold(shop: Shop) -> None:
    # given a session Stripe has expired, whose webhook never arrived
    _user, product, order = pending(shop)
    shop.start(order)
    shop.stripe.clock.advance(33 * 60)

    report = run(shop)

    assert report.cancelled == [order.number]
    assert shop.order(order.id).status == OrderStatus.CANCELLED
    assert shop.product_row(product.id).reserved == 0


def test_an_open_session_keeps_its_hold(shop: Shop) -> None:
    _user, product, order = pending(shop)
    shop.start(order)

    report = run(shop)

    assert report.still_open == [order.number]
    assert shop.order(order.id).status == OrderStatus.PENDING
    assert shop.product_row(product.id).reserved == 2


def test_a_session_past_its_expiry_by_our_clock_is_expired_at_stripe_before_cancelling(
    shop: Shop,
) -> None:
    # given an open session whose expiry has passed by our clock but not yet at Stripe
    _user, product, order = pending(shop)
    started = shop.start(order)

    report = run(shop, minutes_later=40)

    # then Stripe was told first, so the page can no longer be paid, and only then cancelled
    assert report.expired_at_stripe == [order.number]
    assert report.cancelled == [order.number]
    assert shop.gateway.retrieve_session(started.session_id).status == "expired"
    assert shop.product_row(product.id).reserved == 0


def test_orders_abandoned_before_any_session_are_cancelled_when_old_enough(shop: Shop) -> None:
    # given an order placed 61 minutes ago that never reached Stripe, and a fresh one
    _user, old_product, old = pending(shop)
    _user2, _product, fresh = pending(shop)
    with shop.session() as session:
        row = session.exec(select(Order).where(Order.id == old.id)).one()
        row.created_at = utcnow() - timedelta(minutes=61)
        session.add(row)
        session.commit()

    report = run(shop)

    assert report.cancelled == [old.number]
    assert shop.order(old.id).status == OrderStatus.CANCELLED
    assert shop.order(fresh.id).status == OrderStatus.PENDING
    assert shop.product_row(old_product.id).reserved == 0


def test_an_open_session_is_still_payable_after_the_emulator_restarts(shop: Shop) -> None:
    # given an open session
    _user, _product, order = pending(shop)
    started = shop.start(order)

    # when the emulator restarts on the same state file and address
    old = shop.stripe
    old.stop()
    shop.stripe = start_emulator(old.state_path, old.clock, port=old.server.port)
    try:
        # then the session is still open and can be paid
        assert shop.start(order).session_id == started.session_id
        pay(started.url)
        assert shop.fulfil(started.session_id).status == OrderStatus.PAID
    finally:
        shop.stripe.stop()


def test_the_cli_pass_uses_the_configured_database_and_stripe(
    shop: Shop, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given settings that point at this database and at the emulator (mounted at
    # {APP_BASE_URL}/stripe-emulator, as `shopora serve` mounts it)
    _user, _product, order = pending(shop)
    pay(shop.start(order).url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("APP_BASE_URL", shop.stripe.server.url)
    for cached in (get_settings, get_engine, get_gateway):
        cached.cache_clear()
    try:
        summary = reconciliation.reconcile_from_cli()
    finally:
        get_engine().dispose()
        for cached in (get_settings, get_engine, get_gateway):
            cached.cache_clear()

    assert summary.startswith("Reconciliation: 1 fulfilled, 0 cancelled")
    assert shop.order(order.id).status == OrderStatus.PAID


def test_the_background_reconciler_outlives_a_failing_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def flaky() -> ReconcileReport:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        return ReconcileReport()

    monkeypatch.setattr(reconciliation, "_configured_pass", flaky)
    stop = threading.Event()
    thread = reconciliation.start_reconciler(0.01, stop=stop)
    wait_until(lambda: len(calls) >= 3, what="three passes")
    stop.set()
    thread.join(2)
    assert thread.daemon and not thread.is_alive()
