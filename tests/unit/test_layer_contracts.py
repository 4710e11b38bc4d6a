"""The layer rules are kept by import-linter: a forbidden import in a copy of the code breaks it."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports_on_a_copy(
    tmp_path: Path, file: str, line: str
) -> subprocess.CompletedProcess[str]:
    """Copy the importable code, append `line` to `file`, run the contracts from pyproject.toml."""
    for folder in ("shopora", "pages"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / file).open("a") as f:
        f.write(f"\n{line}\n")
    # lint-imports puts the working directory first on sys.path, so it graphs the copy, not the
    # editable install of the real tree.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_part_of_shopora_has_a_place_in_the_layers() -> None:
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    walled_off = {"shopora.stripe_emulator"}  # its own contract: imports none of the others
    parts = {f"shopora.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "shopora")])}

    assert parts - walled_off <= placed, "add the new module to a layer in pyproject.toml"


def test_the_emulator_is_walled_off_from_every_other_part() -> None:
    wall = next(c for c in _contracts() if c.get("source_modules") == ["shopora.stripe_emulator"])
    parts = {f"shopora.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "shopora")])}

    assert set(wall["forbidden_modules"]) == parts - {"shopora.stripe_emulator"}


def test_the_real_code_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint_imports_on_a_copy(tmp_path, "shopora/formatting.py", "")

    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("file", "line", "broken"),
    [
        ("pages/shop.py", "import stripe", "pages.shop -> stripe"),
        ("shopora/ui/state.py", "import stripe", "shopora.ui.state -> stripe"),
        ("shopora/services/cart.py", "import streamlit", "shopora.services.cart -> streamlit"),
        ("shopora/models/orders.py", "import fastapi", "shopora.models.orders -> fastapi"),
        ("shopora/services/pricing.py", "import shopora.ui.state", "shopora.ui.state"),
        ("shopora/models/orders.py", "import shopora.services.cart", "shopora.services.cart"),
        ("shopora/stripe_emulator/app.py", "import shopora.config", "shopora.config"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, file: str, line: str, broken: str
) -> None:
    result = _lint_imports_on_a_copy(tmp_path, file, line)

    assert result.returncode == 1, result.stdout
    assert broken in result.stdout
