"""Shared fixtures: a fresh database per test, on SQLite and (when available) PostgreSQL.

PostgreSQL tests run when SHOPORA_TEST_DATABASE_URL is set. In CI (CI=true) they must run:
a missing or unreachable server fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from shopora.db import build_engine, migrate

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ENV = "SHOPORA_TEST_DATABASE_URL"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run the PostgreSQL tests, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated by Alembic; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private database for this test run, so parallel runs never collide."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        _unavailable(f"PostgreSQL tests need {PG_ENV} (CI sets it)")
    admin = build_engine(str(admin_url)).execution_options(isolation_level="AUTOCOMMIT")
    name = f"shopora_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "unavailable"
        admin.dispose()
        _unavailable(f"PostgreSQL at {PG_ENV} is unreachable: {exc}")
    url = make_url(str(admin_url)).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database: SQLite and PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "shop.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = build_engine(db_url)
    if engine.dialect.name == "postgresql":
        _truncate_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Only SQLite: for tests about something other than the database (UI, API shape)."""
    path = tmp_path / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Skips counted by reason, one line each (pyproject's -r leaves out the per-test lines):
    without PostgreSQL and Chromium, hundreds of tests skip for two reasons."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(_skip_reason(report) for report in skipped)
    if not reasons:
        return
    terminalreporter.section("skipped, by reason", sep="-")
    for reason, count in reasons.most_common():
        terminalreporter.line(f"{count:5d} × {reason}")
