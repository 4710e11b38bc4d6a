"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Index, text


def utcnow() -> datetime:
    return datetime.now(UTC)


def lower_unique(name: str, column: str) -> Index:
    """A unique index on lower(column): case-insensitive uniqueness the database enforces."""
    return Index(name, text(f"lower({column})"), unique=True)
