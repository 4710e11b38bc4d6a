"""This install's random id (made by the first migrate, kept in the database): every
idempotency key Shopora sends to Stripe carries it, so two installs on one Stripe test
account, or a reseeded database whose order ids start again at 1, never share a key."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from shopora.models import Installation

_known: dict[str, str] = {}


def install_id(session: Session) -> str:
    """The id, created on first use if the row is missing (e.g. a truncated test database)."""
    url = str(session.get_bind().engine.url)
    if url in _known:
        return _known[url]
    row = session.get(Installation, 1)
    if row is None:
        row = _create(session)
    _known[url] = row.install_id
    return row.install_id


def _create(session: Session) -> Installation:
    row = Installation(id=1, install_id=secrets.token_hex(8))
    try:
        session.add(row)
        session.commit()
    except IntegrityError:  # another process made it first
        session.rollback()
        found = session.get(Installation, 1)
        if found is None:
            raise
        return found
    return row


def forget() -> None:
    """Drop the cached ids (tests that recreate a database under the same URL)."""
    _known.clear()
