"""The simulated users of the load run: catalog readers, purchasers who pay through the
Stripe emulator's hosted page, and operators polling the order console."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from bench.load_client import Connection, Stats

HOST = "127.0.0.1"
CATALOG = [
    "/api/products?per_page=12",
    "/api/products?q=a&sort=price_asc&per_page=12",
    "/api/products?per_page=24&page=2",
    "/api/categories",
]
SHIPPING = {
    "name": "Load Buyer",
    "line1": "1 Load St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}
CARD = {
    "email": "buyer@load.test",
    "cardNumber": "4242 4242 4242 4242",
    "cardExpiry": "12 / 34",
    "cardCvc": "123",
    "billingName": "Load Buyer",
    "billingPostalCode": "12345",
}


async def single_client(port: int, *, keep_alive: bool, requests: int = 200) -> float:
    """The median latency (ms) of one client reading the catalog page."""
    conn = Connection(HOST, port, keep_alive=keep_alive)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = await conn.request("GET", CATALOG[0])
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, response.status
    await conn.close()
    return statistics.median(samples[requests // 10 :])


async def reader(port: int, stats: Stats, until: float) -> None:
    conn = Connection(HOST, port)
    rng = random.Random()
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await conn.request("GET", rng.choice(CATALOG))
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
            stats.error(type(exc).__name__)
            await conn.close()
            continue
        if response.status == 200:
            stats.ok(started)
        else:
            stats.error(f"HTTP {response.status}")
    await conn.close()


async def buyer(
    port: int,
    token: str,
    products: list[int],
    stats: Stats,
    paid: dict[int, dict[int, int]],
    until: float,
) -> None:
    conn = Connection(HOST, port)
    auth = {"Authorization": f"Bearer {token}"}
    rng = random.Random()
    while time.perf_counter() < until:
        started = time.perf_counter()
        lines = {rng.choice(products): rng.randint(1, 2)}
        try:
            order_id = await purchase(conn, auth, lines)
        except PurchaseFailed as failed:
            stats.error(str(failed))
            continue
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
            stats.error(type(exc).__name__)
            await conn.close()
            continue
        stats.ok(started)
        paid[order_id] = lines
    await conn.close()


class PurchaseFailed(Exception):
    pass


async def purchase(conn: Connection, auth: dict[str, str], lines: dict[int, int]) -> int:
    """One whole purchase; the paid order's id."""

    async def call(method: str, path: str, expect: int, **kwargs: object) -> dict[str, Any]:
        response = await conn.request(method, path, headers=auth, **kwargs)  # type: ignore[arg-type]
        if response.status != expect:
            code = response.json().get("error", {}).get("code") if response.body else ""
            raise PurchaseFailed(f"{method} {path.split('?')[0]} → {response.status} {code}")
        return response.json() if response.body and expect != 303 else {}

    await call("DELETE", "/api/cart", 200)
    for product_id, quantity in lines.items():
        item = {"product_id": product_id, "quantity": quantity}
        await call("POST", "/api/cart/items", 200, json_body=item)
    key = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    body = {"shipping": SHIPPING, "shipping_method": "standard"}
    response = await conn.request("POST", "/api/orders", json_body=body, headers=key)
    if response.status != 201:
        raise PurchaseFailed(f"POST /api/orders → {response.status}")
    order_id = int(response.json()["id"])
    started = await call(
        "POST", "/api/payment/stripe-checkout", 200, json_body={"order_id": order_id}
    )
    await call("POST", urlsplit(started["url"]).path, 303, form=CARD)
    confirmed = await call(
        "POST", "/api/payment/stripe-confirm", 200, json_body={"session_id": started["session_id"]}
    )
    if confirmed.get("payment_status") != "paid":
        raise PurchaseFailed(f"confirm → {confirmed.get('payment_status')}")
    return order_id


async def operator(port: int, token: str, stats: Stats, until: float) -> None:
    """Poll the console's paid queue and open the newest order, twice a second."""
    conn = Connection(HOST, port)
    auth = {"Authorization": f"Bearer {token}"}
    while time.perf_counter() < until:
        started = time.perf_counter()
        response = await conn.request(
            "GET", "/api/admin/orders?status=paid&per_page=20", headers=auth
        )
        if response.status != 200:
            stats.error(f"list HTTP {response.status}")
        else:
            items = response.json()["items"]
            if items:
                detail = await conn.request(
                    "GET", f"/api/admin/orders/{items[0]['id']}", headers=auth
                )
                if detail.status != 200:
                    stats.error(f"detail HTTP {detail.status}")
            stats.ok(started)
        await asyncio.sleep(0.5)
    await conn.close()
