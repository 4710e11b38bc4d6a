"""The API mounted at /api as the server mounts it, on a fresh SQLite database per test.

The session dependency is swapped for one on the test engine (the template's way); the
Stripe gateway is swapped only where a test runs the emulator.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette

from shopora.db import build_engine
from shopora.services import users
from tests.api.factories_api import mounted


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registration through the API hashes with the factories' cost, not production's."""
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = build_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def api(engine: Engine) -> tuple[FastAPI, Starlette]:
    return mounted(engine)


@pytest.fixture
def client(api: tuple[FastAPI, Starlette]) -> Iterator[TestClient]:
    with TestClient(api[1], base_url="http://testserver/api") as client:
        yield client


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
