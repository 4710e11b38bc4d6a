"""A request that cannot get the database in time fails fast with 503 + Retry-After,
in the usual error shape, instead of hanging for half a minute and ending in a 500."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from shopora.config import get_settings
from shopora.db import build_engine
from tests.api.factories_api import mounted


@pytest.fixture
def one_connection_engine(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[Engine]:
    """An engine whose pool has a single connection and gives up waiting after 0.1 s."""
    monkeypatch.setenv("DATABASE_POOL_SIZE", "1")
    monkeypatch.setenv("DATABASE_POOL_OVERFLOW", "0")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT_SECONDS", "0.1")
    get_settings.cache_clear()
    engine = build_engine(sqlite_url)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_no_free_connection_is_a_503_with_retry_after(one_connection_engine: Engine) -> None:
    # given every pooled connection is taken
    _api, app = mounted(one_connection_engine)
    with one_connection_engine.connect(), TestClient(app, base_url="http://t/api") as client:
        # when
        response = client.get("/products")

    # then
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "busy"
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_a_write_lock_held_past_the_busy_timeout_is_a_503(engine: Engine) -> None:
    # given a route that meets "database is locked"
    api, app = mounted(engine)

    @api.get("/locked")
    def locked() -> None:
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    # when
    with TestClient(app, base_url="http://t/api") as client:
        response = client.get("/locked")

    # then
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"


def test_any_other_database_error_is_still_a_500(engine: Engine) -> None:
    api, app = mounted(engine)

    @api.get("/broken")
    def broken() -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: nothing"))

    with TestClient(app, base_url="http://t/api", raise_server_exceptions=False) as client:
        response = client.get("/broken")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
