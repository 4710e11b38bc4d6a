"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Index, text


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
