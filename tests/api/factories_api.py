"""Helpers for the API tests: the mounted app, tokens, a small catalog."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.routing import Mount

from shopora.api.app import create_api
from shopora.api.deps import get_session
from shopora.db import session_scope
from tests.factories import make_category, make_product

PASSWORD = "password123"


def mounted(engine: Engine) -> tuple[FastAPI, Starlette]:
    """create_api() with its session dependency on `engine`, mounted at /api."""
    api = create_api()

    def test_session() -> Iterator[Session]:
        with session_scope(engine) as session:
            yield session

    api.dependency_overrides[get_session] = test_session
    return api, Starlette(routes=[Mount("/api", app=api)])


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers for `username`, via POST /auth/token."""
    response = client.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def fresh_db(tmp_path: Path, template: Path) -> str:
    path = tmp_path / "shop.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def seed_catalog(session: Session) -> dict[str, Any]:
    """Two categories and three products, one of them sold out."""
    audio = make_category(session, slug="audio", name="Audio", position=1)
    home = make_category(session, slug="home", name="Home", position=2)
    return {
        "headphones": make_product(
            session, category_id=audio.id, name="Aurora Headphones", price_cents=12900,
            stock_on_hand=25, featured=True,
        ),
        "speaker": make_product(
            session, category_id=audio.id, name="Pebble Speaker", price_cents=4900,
            stock_on_hand=8,
        ),
        "lamp": make_product(
            session, category_id=home.id, name="Desk Lamp", price_cents=3500, stock_on_hand=0
        ),
    }  # fmt: skip
