"""One shop per test module and database: SQLite, and PostgreSQL (marked `postgres`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopora.db import build_engine
from tests.adversarial.harness import Shop, open_shop


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shop]:
    workdir = tmp_path_factory.mktemp("adversarial")
    if request.param == "sqlite":
        path = workdir / "shop.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = build_engine(url)
    try:
        yield from open_shop(engine, Path(workdir))
    finally:
        engine.dispose()
