"""`bench.run --out` rewrites its own sections of docs/PERFORMANCE.md and keeps the others."""

from __future__ import annotations

from bench.report import merge

EARLIER = """# Performance

Old intro.

## SQLite

| old table |

## Load

load figures

### A checkout during a long read (SQLite)

checkout figures

## Order search

search figures
"""

REPORT = """# Performance

New intro.

## SQLite

| new table |

## Reading

notes
"""


def test_a_new_report_replaces_the_sections_it_writes() -> None:
    merged = merge(EARLIER, REPORT)

    assert merged.startswith(REPORT + "\n## Load")  # a blank line between the sections
    assert "old table" not in merged
    assert "Old intro" not in merged


def test_sections_written_by_other_bench_modules_are_kept_in_their_order() -> None:
    merged = merge(EARLIER, REPORT)

    load = merged.index("## Load")
    assert merged.index("load figures") > load
    assert merged.index("### A checkout during a long read") > load
    assert merged.index("checkout figures") > load
    assert merged.index("## Order search") > merged.index("checkout figures")
    assert merged.rstrip().endswith("search figures")


def test_a_first_report_is_written_as_it_is() -> None:
    assert merge("", REPORT) == REPORT
