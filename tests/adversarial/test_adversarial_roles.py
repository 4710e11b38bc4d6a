"""Every route for every role: anonymous, the customer who owns the order, another customer,
an analyst and an operator, plus forged and malformed tokens. Routes come from the OpenAPI
document; the rule each must follow is derived from where it lives:

- no security: anyone;
- /admin, reading: operators and analysts; writing: operators only;
- the rest: any signed-in user, but an order (in the path or the body) is its owner's alone:
  to anyone else it does not exist (404).

Refused calls change nothing; allowed calls never fail on our side."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx

from tests.adversarial.cases import Operation, body_cases, operations
from tests.adversarial.harness import ROLES, Shop, concrete_path, realistic

BAD_TOKENS = {
    "garbage": "Bearer not-a-token",
    "alg none": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    "basic": "Basic b2xpdmlhOnBhc3N3b3JkMTIz",
    "8 KB": "Bearer " + "a" * 8192,
    "empty bearer": "Bearer",
}


def expected_refusal(operation: Operation, role: str) -> int | None:
    """The status this role must get, or None if it may use the route."""
    if not operation.secured:
        return None
    if role == "anonymous":
        return 401
    if operation.path.startswith("/admin"):
        allowed = ("operator",) if operation.writes else ("operator", "analyst")
        return None if role in allowed else 403
    owns_order = "{order_id}" in operation.path or operation.path == "/payment/stripe-checkout"
    if owns_order and role != "customer":
        return 404
    return None


def request(shop: Shop, doc: dict[str, Any], operation: Operation, **extra: Any) -> httpx.Response:
    schema = operation.json_body(doc)
    body = next(body_cases(doc, schema, realistic(shop))).body if schema else None
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"content": json.dumps(body), "headers": {"Content-Type": "application/json"}}
    if "headers" in extra:
        kwargs["headers"] = {**kwargs.get("headers", {}), **extra.pop("headers")}
    return shop.call(operation.method, concrete_path(shop, operation), **kwargs, **extra)


def routes(shop: Shop) -> tuple[dict[str, Any], list[Operation]]:
    doc: dict[str, Any] = shop.call("GET", "/openapi.json").json()
    return doc, [op for op in operations(doc) if op.path != "/webhooks/stripe"]


def test_every_role_refused_a_route_gets_the_right_status_and_changes_nothing(
    shop: Shop,
) -> None:
    doc, ops = routes(shop)
    before = shop.fingerprint()
    wrong: list[str] = []
    counts: Counter[int] = Counter()
    for operation in ops:
        for role in ROLES:
            expected = expected_refusal(operation, role)
            if expected is None:
                continue
            status = request(shop, doc, operation, role=role).status_code
            counts[expected] += 1
            if status != expected:
                wrong.append(f"{role} {operation.method} {operation.path}: {status} != {expected}")

    print(f"\nrefused role cases: {sum(counts.values())} by status {dict(counts)}")
    assert wrong == [], "\n".join(wrong)
    assert shop.fingerprint() == before
    assert counts[401] >= 25 and counts[403] >= 30 and counts[404] >= 9


def test_a_forged_or_malformed_token_is_a_401_on_every_secured_route(shop: Shop) -> None:
    doc, ops = routes(shop)
    before = shop.fingerprint()
    count = 0
    for operation in (op for op in ops if op.secured):
        for label, header in BAD_TOKENS.items():
            response = request(shop, doc, operation, headers={"Authorization": header})
            count += 1
            assert response.status_code == 401, (operation.path, label)

    assert shop.fingerprint() == before
    print(f"\nbad token cases: {count}")
    assert count >= 100


def test_every_role_allowed_a_route_is_served_without_a_5xx(shop: Shop) -> None:
    doc, ops = routes(shop)
    served: Counter[str] = Counter()
    # Reading first, then writing, the order's owner and the operator last: their writes
    # (cancelling, refunding) change what the others would see.
    ordered = sorted(ops, key=lambda op: op.writes)
    for role in ("anonymous", "other_customer", "analyst", "customer", "operator"):
        for operation in ordered:
            if expected_refusal(operation, role) is not None:
                continue
            response = request(shop, doc, operation, role=role)
            # The token route's example signs in as nobody: its 401 is the password's verdict.
            refused = (403,) if operation.path == "/auth/token" else (401, 403)
            assert response.status_code not in refused, (role, operation.path, response.text)
            served[role] += 1

    print(f"\nallowed role cases: {sum(served.values())} {dict(served)}")
    assert sum(served.values()) >= 80
