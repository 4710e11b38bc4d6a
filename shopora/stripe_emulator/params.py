"""Stripe's form encoding (`a[b][0][c]=v`) parsed into nested dicts, and a typed reader.

Arrays stay dicts keyed by index until a reader asks for a list: `metadata[0]=x` is a
hash key, `line_items[0][...]` an array element, and only the caller knows which.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from .errors import StripeError, invalid, missing, unknown

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_INTEGER = re.compile(r"^-?\d{1,18}$")
METADATA_KEYS = 50
METADATA_KEY_LENGTH = 40
METADATA_VALUE_LENGTH = 500


def parse_form(raw: str) -> dict[str, Any]:
    """Parse a query string or form body (brackets literal or percent-encoded)."""
    return parse_pairs(parse_qsl(raw, keep_blank_values=True))


def parse_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        _assign(root, _split_key(key), value)
    return root


def _split_key(key: str) -> list[str]:
    match = _KEY.match(key)
    if not match:
        return [key]
    return [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]


def _assign(root: dict[str, Any], parts: list[str], value: str) -> None:
    node = root
    for depth, part in enumerate(parts):
        name = _display(parts[: depth + 1])
        key = str(len(node)) if part == "" else part
        if depth == len(parts) - 1:
            if isinstance(node.get(key), dict):
                raise invalid(f"Invalid value for {name}: expected a hash or an array", name)
            node[key] = value
            return
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise invalid(f"Invalid hash or array: {name}", name)
        node = child


def _display(parts: list[str]) -> str:
    return parts[0] + "".join(f"[{p}]" for p in parts[1:])


def _empty_string(name: str) -> StripeError:
    return invalid(
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{name}' cannot be unset. You should remove '{name}' "
        "from your request or supply a non-empty value.",
        name,
        "parameter_invalid_empty",
    )


class Params:
    """Read one level of parsed params; every error names the full bracketed param."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}[{key}]" if self.prefix else key

    def has(self, key: str) -> bool:
        return key in self.data

    def reject_unknown(self, allowed: Collection[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise unknown(self.name(key))

    def _scalar(self, key: str, required: bool) -> str | None:
        if key not in self.data:
            if required:
                raise missing(self.name(key))
            return None
        value = self.data[key]
        if not isinstance(value, str):
            raise invalid(f"Invalid {self.name(key)}: expected a single value", self.name(key))
        if value == "":
            raise _empty_string(self.name(key))
        return value

    def string(self, key: str, *, required: bool = False, max_length: int = 5000) -> str | None:
        value = self._scalar(key, required)
        if value is not None and len(value) > max_length:
            raise invalid(
                f"Invalid string: {value[:40]}...; must be at most {max_length} characters",
                self.name(key),
                "string_too_long",
            )
        return value

    def choice(self, key: str, options: Collection[str], *, required: bool = False) -> str | None:
        value = self._scalar(key, required)
        if value is not None and value not in options:
            allowed = ", ".join(f"`{o}`" for o in options)
            raise invalid(f"Invalid {self.name(key)}: must be one of {allowed}", self.name(key))
        return value

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self._scalar(key, required)
        if value is None:
            return None
        if not _INTEGER.match(value):
            raise invalid(f"Invalid integer: {value}", self.name(key), "parameter_invalid_integer")
        number = int(value)
        if minimum is not None and number < minimum:
            raise invalid(f"This value must be greater than or equal to {minimum}.", self.name(key))
        return number

    def decimal(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self._scalar(key, required)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise invalid(f"Invalid decimal: {value}", self.name(key))
        return number

    def child(self, key: str, *, required: bool = False) -> Params | None:
        if key not in self.data:
            if required:
                raise missing(self.name(key))
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            raise invalid("Invalid hash", self.name(key))
        return Params(value, self.name(key))

    def need_string(self, key: str, *, max_length: int = 5000) -> str:
        value = self.string(key, required=True, max_length=max_length)
        assert value is not None  # required=True raises instead of returning None
        return value

    def need_integer(self, key: str, *, minimum: int | None = None) -> int:
        value = self.integer(key, required=True, minimum=minimum)
        assert value is not None  # required=True raises instead of returning None
        return value

    def need_child(self, key: str) -> Params:
        value = self.child(key, required=True)
        assert value is not None  # required=True raises instead of returning None
        return value

    def _array(self, key: str) -> list[tuple[str, Any]] | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, dict) or not all(k.isdigit() for k in value):
            raise invalid("Invalid array", self.name(key))
        return [(f"{self.name(key)}[{k}]", value[k]) for k in sorted(value, key=int)]

    def children(self, key: str, *, max_items: int | None = None) -> list[Params] | None:
        items = self._array(key)
        if items is None:
            return None
        self._check_length(key, len(items), max_items)
        result = []
        for name, value in items:
            if not isinstance(value, dict):
                raise invalid("Invalid hash", name)
            result.append(Params(value, name))
        return result

    def strings(self, key: str, *, max_items: int | None = None) -> list[str] | None:
        items = self._array(key)
        if items is None:
            return None
        self._check_length(key, len(items), max_items)
        for name, value in items:
            if not isinstance(value, str) or value == "":
                raise invalid(f"Invalid string in array: {name}", name)
        return [value for _, value in items]

    def _check_length(self, key: str, count: int, max_items: int | None) -> None:
        if max_items is not None and count > max_items:
            raise invalid(
                f"Invalid array: {self.name(key)} must have at most {max_items} elements, "
                f"but you passed {count}.",
                self.name(key),
            )

    def metadata(self, key: str = "metadata") -> dict[str, str]:
        """Stripe's limits: 50 keys, keys up to 40 chars, values up to 500; '' unsets."""
        hash_ = self.child(key)
        if hash_ is None:
            return {}
        if len(hash_.data) > METADATA_KEYS:
            raise invalid(
                f"Invalid {hash_.prefix}: metadata can have up to {METADATA_KEYS} keys, "
                f"but you passed in {len(hash_.data)} keys.",
                hash_.prefix,
            )
        result = {}
        for meta_key, value in hash_.data.items():
            result[meta_key] = _metadata_value(hash_.name(meta_key), meta_key, value)
        return {k: v for k, v in result.items() if v != ""}


def _metadata_value(name: str, key: str, value: Any) -> str:
    if len(key) > METADATA_KEY_LENGTH:
        raise invalid(
            f"Invalid {name}: metadata keys can have up to {METADATA_KEY_LENGTH} characters, "
            f"but you passed in a key that is {len(key)} characters long.",
            name,
        )
    if not isinstance(value, str):
        raise invalid(f"Invalid {name}: metadata values must be strings.", name)
    if len(value) > METADATA_VALUE_LENGTH:
        raise invalid(
            f"Invalid {name}: metadata values can have up to {METADATA_VALUE_LENGTH} "
            f"characters, but you passed in a value that is {len(value)} characters long.",
            name,
        )
    return value
