"""The operator and analyst pages reach the domain only through shopora.ui.facade.ops: no
page or ops component opens a database session or imports shopora.db."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shopora.config import ROOT

OPS_PAGES = ("dashboard", "admin_orders", "admin_products", "admin_discounts", "analytics")
OPS_FILES = sorted(
    [ROOT / "pages" / f"{name}.py" for name in OPS_PAGES]
    + list((ROOT / "shopora" / "ui" / "ops").glob("*.py")),
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", OPS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_operator_page_or_component_never_opens_a_database_session(path: Path) -> None:
    modules = imported_modules(path)

    assert not {m for m in modules if m == "shopora.db" or m.startswith("shopora.db.")}
    assert "session_scope" not in path.read_text(encoding="utf-8")


def test_the_facade_is_where_the_operator_pages_sessions_are_opened() -> None:
    facade = ROOT / "shopora" / "ui" / "facade" / "ops.py"

    assert "shopora.db.session_scope" in imported_modules(facade)
