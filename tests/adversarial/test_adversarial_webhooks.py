"""The webhook receiver and the stock under attack, over HTTP: forged, unsigned, stale and
future-dated deliveries; signed replays; events out of order; the last units bought by many
customers at once. Counts are printed; nothing may 5xx or change state wrongly."""

from __future__ import annotations

import copy
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlmodel import Session

from shopora.config import EMULATOR_WEBHOOK_SECRET
from shopora.models import Product
from tests.adversarial.harness import (
    ADDRESS,
    Shop,
    new_customers,
    order_state,
    paid_order,
    sign,
)


def kinds(detail: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in detail["events"]]


def pending_with_completed_event(shop: Shop) -> tuple[int, dict[str, Any]]:
    """A pending order, and a completed event naming it that Stripe never sent."""
    (buyer,) = new_customers(shop, 1, f"forged{time.monotonic_ns()}")
    paid = paid_order(shop, buyer, shop.ids["headphones"])
    (victim,) = new_customers(shop, 1, f"victim{time.monotonic_ns()}")
    line = {"product_id": shop.ids["headphones"], "quantity": 1}
    shop.call("POST", "/cart/items", role=victim, json=line)
    order_id = shop.call("POST", "/orders", role=victim, json={"shipping": ADDRESS}).json()["id"]
    event = copy.deepcopy(paid["event"])
    event["id"] = f"evt_forged_{time.monotonic_ns()}"
    event["data"]["object"]["metadata"] = {"order_id": str(order_id)}
    event["data"]["object"]["client_reference_id"] = str(order_id)
    return order_id, event


def test_unsigned_forged_stale_and_future_deliveries_are_400s_that_change_nothing(
    shop: Shop,
) -> None:
    order_id, event = pending_with_completed_event(shop)
    body = json.dumps(event).encode()
    now = int(time.time())
    attempts = {
        "no signature": "",
        "garbage header": "nonsense",
        "no timestamp": "v1=" + "0" * 64,
        "timestamp not a number": "t=soon,v1=" + "0" * 64,
        "wrong secret": sign(body, "whsec_attacker", now),
        "v0 only": sign(body, EMULATOR_WEBHOOK_SECRET, now).replace("v1=", "v0="),
        "an hour old": sign(body, EMULATOR_WEBHOOK_SECRET, now - 3600),
        "an hour ahead": sign(body, EMULATOR_WEBHOOK_SECRET, now + 3600),
        "signed another body": sign(body + b" ", EMULATOR_WEBHOOK_SECRET, now),
    }
    before = shop.fingerprint()

    statuses = {
        label: shop.deliver(body, signature=sig).status_code for label, sig in attempts.items()
    }
    not_json = shop.deliver(b"not json", signature=sign(b"not json", EMULATOR_WEBHOOK_SECRET, now))

    print(f"\nforged webhook cases: {len(attempts) + 1}")
    assert statuses == {label: 400 for label in attempts}
    assert not_json.status_code == 400
    assert shop.fingerprint() == before
    assert order_state(shop, order_id)["status"] == "pending"


def test_a_signed_event_replayed_many_times_is_handled_once(shop: Shop) -> None:
    (buyer,) = new_customers(shop, 1, "replay")
    paid = paid_order(shop, buyer, shop.ids["headphones"], quantity=2)
    before = order_state(shop, paid["order_id"])

    replies = [shop.deliver(paid["event"]) for _ in range(5)]
    with ThreadPoolExecutor(5) as pool:
        replies += list(pool.map(lambda _: shop.deliver(paid["event"]), range(5)))

    print(f"\nreplayed webhook cases: {len(replies)}")
    assert {r.status_code for r in replies} == {200}
    after = order_state(shop, paid["order_id"])
    # the webhook log records the event's first delivery (whichever came first: the
    # emulator's own or a replay), once; nothing else about the order changes
    logged = [w for w in after.pop("webhook_log") if w["event_id"] == paid["event"]["id"]]
    before.pop("webhook_log")
    assert len(logged) == 1
    assert after == before
    assert kinds(after).count("paid") == 1


def test_events_out_of_order_never_undo_a_paid_order(shop: Shop) -> None:
    (buyer,) = new_customers(shop, 1, "late")
    paid = paid_order(shop, buyer, shop.ids["headphones"])
    late_expiry = copy.deepcopy(paid["event"])
    late_expiry["id"] = f"evt_late_expiry_{time.monotonic_ns()}"
    late_expiry["type"] = "checkout.session.expired"
    late_expiry["created"] = paid["event"]["created"] - 60
    late_expiry["data"]["object"].update(status="expired", payment_status="unpaid", url=None)
    unknown = {**paid["event"], "id": f"evt_unknown_{time.monotonic_ns()}", "type": "x.y.z"}
    before = order_state(shop, paid["order_id"])

    replies = [shop.deliver(late_expiry), shop.deliver(unknown), shop.deliver(paid["event"])]

    print(f"\nout-of-order webhook cases: {len(replies)}")
    assert all(r.status_code == 200 for r in replies), [r.text for r in replies]
    after = order_state(shop, paid["order_id"])
    assert (after["status"], after["payment_status"]) == ("paid", "paid")
    assert after["items"] == before["items"]


def test_the_last_units_bought_by_many_customers_at_once_are_sold_once(shop: Shop) -> None:
    with Session(shop.engine) as db:
        speaker = db.get(Product, shop.ids["speaker"])
        assert speaker is not None
        available = speaker.stock_on_hand - speaker.reserved
    buyers = new_customers(shop, available + 4, "rush")
    for role in buyers:
        line = {"product_id": shop.ids["speaker"], "quantity": 1}
        assert shop.call("POST", "/cart/items", role=role, json=line).status_code == 200

    def place(role: str) -> httpx.Response:
        return shop.call("POST", "/orders", role=role, json={"shipping": ADDRESS})

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(place, buyers))

    statuses = sorted(r.status_code for r in replies)
    print(f"\nconcurrent purchase cases: {len(replies)} for {available} units")
    assert statuses == [201] * available + [409] * 4
    stock = shop.call("GET", "/admin/products", role="operator").json()
    row = next(r for r in stock if r["product_id"] == shop.ids["speaker"])
    assert (row["available"], row["reserved"]) == (0, speaker.reserved + available)
