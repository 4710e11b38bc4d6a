"""Transactions around Stripe calls."""

from __future__ import annotations

from sqlmodel import Session


def end_reads(session: Session) -> None:
    """End the session's (read) transaction before calling Stripe: no network call may sit
    inside a transaction (one that had turned into a writer would hold SQLite's write lock,
    or PostgreSQL's row locks, for the whole call). Use cases commit their own work, so
    there is nothing pending to commit."""
    session.commit()
