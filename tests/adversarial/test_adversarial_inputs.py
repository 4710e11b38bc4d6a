"""Every write route with wrong types, huge, empty, Unicode and control-character values;
every id in every path and every query parameter with junk. Generated from the OpenAPI
document; never a 5xx, and what must be refused is refused and changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx

from tests.adversarial.cases import (
    Case,
    Operation,
    body_cases,
    operations,
    path_values,
    query_values,
)
from tests.adversarial.harness import Shop, concrete_path, realistic

RAW_BODIES = {
    "malformed JSON": b'{"a": ',
    "nested 200,000 deep": b"[" * 200_000,
    "not JSON at all": b"hello",
    "empty": b"",
    "2 MiB": b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}',
}


def document(shop: Shop) -> dict[str, Any]:
    schema: dict[str, Any] = shop.call("GET", "/openapi.json").json()
    return schema


def role_for(operation: Operation) -> str:
    if not operation.secured:
        return "anonymous"
    return "operator" if operation.path.startswith("/admin") else "customer"


def send(shop: Shop, operation: Operation, body: Any, path: str | None = None) -> httpx.Response:
    # Serialised here, not by httpx: a lone surrogate must travel as its JSON escape.
    return shop.call(
        operation.method,
        path or concrete_path(shop, operation),
        role=role_for(operation),
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )


def cases(shop: Shop, doc: dict[str, Any]) -> list[tuple[Operation, Case]]:
    found = []
    for operation in operations(doc):
        schema = operation.json_body(doc)
        if schema is not None and operation.path != "/webhooks/stripe":
            found += [(operation, case) for case in body_cases(doc, schema, realistic(shop))]
    return found


def test_what_must_be_refused_is_a_422_and_changes_nothing(shop: Shop) -> None:
    doc = document(shop)
    before = shop.fingerprint()
    wrong: list[str] = []
    counts: Counter[str] = Counter()
    for operation, case in cases(shop, doc):
        if not case.must_refuse:
            continue
        response = send(shop, operation, case.body)
        counts[operation.method] += 1
        if response.status_code != 422:
            wrong.append(
                f"{operation.method} {operation.path} {case.label}: {response.status_code}"
            )

    print(f"\nrefused body cases: {sum(counts.values())} {dict(counts)}")
    assert wrong == [], "\n".join(wrong)
    assert shop.fingerprint() == before
    assert sum(counts.values()) > 500


def test_raw_bodies_that_are_not_the_json_asked_for_are_refused(shop: Shop) -> None:
    doc = document(shop)
    before = shop.fingerprint()
    count = 0
    for operation in operations(doc):
        if operation.json_body(doc) is None or operation.path == "/webhooks/stripe":
            continue
        for label, raw in RAW_BODIES.items():
            if label == "empty" and not operation.body_required:
                continue  # no body is a valid request there: the defaults
            response = shop.call(
                operation.method,
                concrete_path(shop, operation),
                role=role_for(operation),
                content=raw,
                headers={"Content-Type": "application/json"},
            )
            count += 1
            assert 400 <= response.status_code < 500, (operation.path, label)
            if label == "2 MiB":
                assert response.status_code == 413

    assert shop.fingerprint() == before
    print(f"\nraw body cases: {count}")
    assert count >= 60


def test_junk_ids_in_every_path_are_a_4xx_and_change_nothing(shop: Shop) -> None:
    doc = document(shop)
    before = shop.fingerprint()
    count = 0
    for operation in operations(doc):
        if "{" not in operation.path:
            continue
        schema = operation.json_body(doc)
        body = next(body_cases(doc, schema, realistic(shop))).body if schema else None
        for label, value in path_values():
            path = concrete_path(shop, operation, override=value)
            response = send(shop, operation, body, path)
            count += 1
            assert 400 <= response.status_code < 500, (operation.path, label)

    assert shop.fingerprint() == before
    print(f"\npath cases: {count}")
    assert count >= 100


def test_junk_in_every_query_parameter_is_never_a_5xx(shop: Shop) -> None:
    doc = document(shop)
    count = 0
    for operation in operations(doc):
        for parameter in operation.parameters("query"):
            for label, value in query_values():
                response = shop.call(
                    operation.method,
                    concrete_path(shop, operation),
                    role="operator" if operation.secured else "anonymous",
                    params={parameter["name"]: value},
                )
                count += 1
                if "\x00" in value or "\x1b" in value:
                    assert response.status_code == 422, (operation.path, label)

    print(f"\nquery cases: {count}")
    assert count >= 80


def test_what_may_be_accepted_never_fails_on_our_side(shop: Shop) -> None:
    doc = document(shop)
    outcomes: Counter[str] = Counter()
    for operation, case in cases(shop, doc):
        if case.must_refuse:
            continue
        response = send(shop, operation, case.body)
        outcomes["accepted" if response.status_code < 400 else "refused"] += 1

    print(f"\nmay-accept body cases: {dict(outcomes)}")
    assert outcomes["accepted"] > 20
