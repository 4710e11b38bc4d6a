"""Transactions around Stripe calls."""

from __future__ import annotations

from sqlmodel import Session


def end_reads(session: Session) -> None:
    """End the session's (read) transaction before calling Stripe. On SQLite every
    transaction starts with BEGIN IMMEDIATE, so even a read holds the database's write lock
    until it ends, and no network call may hold it (on PostgreSQL this only ends a
    snapshot). Use cases commit their own work, so there is nothing pending to commit."""
    session.commit()
