"""Cases generated from the API's own OpenAPI document, so a new route or field is attacked
without anyone writing a test for it.

For each operation: a valid body (the schema's first example), then each field replaced by
values of the wrong type, too large, empty, exotic Unicode and control characters. Each case
says whether the API *must* refuse it (422, nothing changes) or *may* accept it (never 5xx).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

HUGE_INT = 2**63
LONG = 100_000
UNICODE = "Ünïcødé 漢字 🛒 \u202eevil\u202c ﷽ \u200b"
SURROGATE = "\ud800"  # sent as the JSON escape "\ud800": a lone surrogate


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def secured(self) -> bool:
        return bool(self.spec.get("security"))

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def body_required(self) -> bool:
        return bool(self.spec.get("requestBody", {}).get("required"))

    def parameters(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == where]

    def json_body(self, document: dict[str, Any]) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        media = content.get("application/json")
        return resolve(document, media["schema"]) if media else None


@dataclass(frozen=True)
class Case:
    label: str
    body: Any
    must_refuse: bool


def operations(document: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method.upper(), path, spec)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref (and a `X | None` anyOf) down to the schema itself."""
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = document["components"]["schemas"][name]
        elif "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            if len(options) != 1:
                return schema
            schema = options[0]
        else:
            return schema


def example_body(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    examples = schema.get("examples") or [{}]
    body: dict[str, Any] = copy.deepcopy(examples[0])
    for name in schema.get("required", []):
        if name not in body:
            body[name] = example_value(document, schema["properties"][name])
    return body


def example_value(document: dict[str, Any], prop: dict[str, Any]) -> Any:
    prop = resolve(document, prop)
    if "examples" in prop:
        return prop["examples"][0]
    if "enum" in prop:
        return prop["enum"][0]
    if prop.get("type") == "object":
        return example_body(document, prop)
    return {"integer": 1, "boolean": True, "string": "x" * max(1, prop.get("minLength", 1))}.get(
        prop.get("type", "string"), "x"
    )


def body_cases(
    document: dict[str, Any],
    schema: dict[str, Any],
    adapt: Callable[[dict[str, Any]], dict[str, Any]] = lambda body: body,
) -> Iterator[Case]:
    """The valid example (`adapt`ed: ids that exist), then every field of it (nested ones
    too) attacked in turn."""
    valid = adapt(example_body(document, schema))
    yield Case("valid example", valid, must_refuse=False)
    yield Case("a JSON array", [valid], must_refuse=True)
    yield Case("a JSON string", "x", must_refuse=True)
    yield Case("null", None, must_refuse=bool(schema.get("required")))
    for name, prop in schema.get("properties", {}).items():
        target = resolve(document, prop)
        for label, value, refuse in field_values(target, prop):
            yield Case(f"{name}={label}", {**valid, name: value}, refuse)
        if target.get("type") == "object" and isinstance(valid.get(name), dict):
            nested = valid[name]
            for case in body_cases(document, target, lambda _, nested=nested: nested):
                if case.label != "valid example" and isinstance(case.body, dict):
                    label = f"{name}.{case.label}"
                    yield Case(label, {**valid, name: case.body}, case.must_refuse)


def field_values(prop: dict[str, Any], raw: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    nullable = "anyOf" in raw and any(s.get("type") == "null" for s in raw["anyOf"])
    kind = prop.get("type") or ("string" if "enum" in prop else None)
    yield "null", None, not nullable
    yield "a list", [], True
    yield "an object", {}, kind != "object"
    if kind == "integer":
        yield from _integers(prop)
    elif kind == "boolean":
        yield from (("string 'true'", "true", True), ("1", 1, True), ("0", 0, True))
    elif kind == "string":
        yield from _strings(prop)


def _integers(prop: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    yield "true", True, True
    yield "false", False, True
    yield "string '12'", "12", True
    yield "1.5", 1.5, True
    yield "2**63", HUGE_INT, True
    yield "-2**63", -HUGE_INT, True
    yield "0", 0, "minimum" in prop and prop["minimum"] > 0
    yield "-1", -1, "minimum" in prop and prop["minimum"] > -1
    if "maximum" in prop:
        yield "maximum + 1", prop["maximum"] + 1, True


def _strings(prop: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    yield "a number", 123, True
    yield "true", True, True
    yield "empty", "", prop.get("minLength", 0) > 0
    yield "unicode", UNICODE, False
    yield "NUL", "a\x00b", True
    yield "ESC", "\x1b[2J", True
    yield "C1 control", "a\x85b", True
    yield "lone surrogate", SURROGATE, True
    if "maxLength" in prop:
        yield "maxLength + 1", "x" * (prop["maxLength"] + 1), True
    else:  # unbounded text: huge must still never fail on our side
        yield "100,000 characters", "x" * LONG, "enum" in prop or "pattern" in prop


def path_values() -> Iterator[tuple[str, str]]:
    """Ids no row can have, as a client could type them."""
    yield from (
        ("0", "0"), ("-1", "-1"), ("2**31", "2147483648"), ("huge", "9" * 40),
        ("text", "abc"), ("1.5", "1.5"), ("NUL", "1%00"), ("bad UTF-8", "%ff%fe"),
        ("traversal", "..%2f..%2fetc"), ("space", "%20"), ("unicode", "%E2%9C%93"),
    )  # fmt: skip


def query_values() -> Iterator[tuple[str, str]]:
    yield from (
        ("empty", ""), ("huge", "x" * 5000), ("NUL", "a\x00b"), ("ESC", "\x1b"),
        ("unicode", UNICODE), ("number", "-99999999999999999999"), ("bool", "maybe"),
        ("date", "2025-13-45"),
    )  # fmt: skip
