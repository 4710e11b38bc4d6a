"""One use case, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit when the block finishes; on any exception roll everything back and re-raise,
    so a failed use case leaves the data exactly as it was."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
