"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Index, text
from sqlmodel import SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def lower_unique(name: str, column: str) -> Index:
    """A unique index on lower(column): case-insensitive uniqueness the database enforces."""
    return Index(name, text(f"lower({column})"), unique=True)


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def pk(row: _HasId) -> int:
    """The primary key of a row that has been flushed (fails loudly if it has not)."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush the session first")
    return row.id


def field_values(row: object, base: type[SQLModel]) -> dict[str, Any]:
    """`row`'s values for the fields `base` declares. Read attribute by attribute, not with
    model_dump: that reads the instance's dict directly and misses what a commit expired."""
    return {name: getattr(row, name) for name in base.model_fields}
