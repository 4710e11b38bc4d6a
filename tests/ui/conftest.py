"""AppTest helpers: every page runs on its own (AppTest cannot run through st.navigation),
against a seeded SQLite shop, as a given user (the auth session keys seeded)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from shopora.config import ROOT, get_settings
from shopora.db import build_engine, get_engine
from shopora.models import User
from shopora.seed import seed_database
from shopora.ui.state import StateKeys

PAGES = ROOT / "pages"


@pytest.fixture
def shop_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded shop (no order history) that the pages' own sessions read."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SHOPORA_ENV", "test")
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = build_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=False)
    engine.dispose()
    yield sqlite_url
    get_engine.cache_clear()
    get_settings.cache_clear()


def sign_in_as(at: AppTest, user: User | None) -> AppTest:
    """Seed the session keys streamlit-authenticator would have set."""
    if user is None:
        return at
    at.session_state[StateKeys.AUTH_STATUS] = True
    at.session_state[StateKeys.USERNAME] = user.username
    at.session_state[StateKeys.NAME] = user.name
    at.session_state[StateKeys.EMAIL] = user.email
    at.session_state[StateKeys.ROLES] = [user.role]
    return at


@pytest.fixture
def page(shop_db: str) -> Callable[..., AppTest]:
    """`page("shop", as_user=user)` → an AppTest of pages/shop.py, not yet run."""

    def build(name: str, *, as_user: User | None = None, timeout: float = 20) -> AppTest:
        at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=timeout)
        return sign_in_as(at, as_user)

    return build


def page_path(name: str) -> Path:
    return PAGES / f"{name}.py"
