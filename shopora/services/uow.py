"""One use case, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from shopora.db import writing
from shopora.errors import AlreadyExists


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit when the block finishes; on any exception roll everything back and re-raise,
    so a failed use case leaves the data exactly as it was. The block runs as a writer from
    its first statement (on SQLite: under the write lock, so it reads the latest data)."""
    try:
        writing(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def unique_save(session: Session, *, conflict: str, field: str) -> Iterator[Session]:
    """A transaction whose unique constraint lost to a concurrent writer (both passed the
    check before saving) reads as AlreadyExists(conflict) instead of a database error."""
    try:
        with transaction(session):
            yield session
    except IntegrityError:
        raise AlreadyExists(conflict, field=field) from None
