"""Idempotency keys are namespaced per install: two databases (two installs, or a reseed)
whose order ids collide never receive each other's Checkout Session or refund."""

from __future__ import annotations

import shutil
from pathlib import Path

from shopora.db import build_engine
from shopora.payments.refunds import refund_order
from shopora.services import installation
from shopora.services.actors import Actor

from .conftest import Shop
from .harness import pay


def second_shop(shop: Shop, sqlite_template: Path, tmp_path: Path) -> Shop:
    path = tmp_path / "other-install.sqlite3"
    shutil.copy(sqlite_template, path)
    with_own_id = build_engine(f"sqlite:///{path}")
    with with_own_id.begin() as conn:  # a copied template shares the id: give it its own
        conn.exec_driver_sql("UPDATE installation SET install_id = 'otherinstall0001'")
    installation.forget()
    return Shop(with_own_id, shop.gateway, shop.stripe)


def test_two_installs_with_the_same_order_ids_get_their_own_sessions_and_refunds(
    shop: Shop, sqlite_template: Path, tmp_path: Path
) -> None:
    # given two installs on one Stripe account, each with its order 1 (different carts)
    other = second_shop(shop, sqlite_template, tmp_path)
    orders = []
    for each, quantity in ((shop, 1), (other, 3)):
        user = each.customer()
        each.set_cart(user, each.product(price_cents=2000), quantity)
        orders.append((each, user, each.place(user)))
    assert orders[0][2].id == orders[1][2].id == 1

    # when both open a Checkout Session for order 1, attempt 1
    started = [each.start(order) for each, _user, order in orders]

    # then each got its own session, for its own amount
    assert started[0].session_id != started[1].session_id
    amounts = [shop.gateway.retrieve_session(s.session_id).amount_total for s in started]
    assert amounts == [o.total_cents for _e, _u, o in orders]

    # and refunds of each, for the same amount, are two refunds
    refunded = []
    for (each, user, order), start in zip(orders, started, strict=True):
        pay(start.url)
        each.fulfil(start.session_id, acting_user_id=user.id)
        with each.session() as session:
            refund_order(
                session=session,
                order_id=order.id or 0,
                amount_cents=500,
                actor=Actor.system(),
                gateway=each.gateway,
            )
        refunded.append(each.order(order.id).refunded_cents)
    assert refunded == [500, 500]
    intents = {each.order(order.id).payment_intent_id for each, _u, order in orders}
    assert len(intents) == 2
