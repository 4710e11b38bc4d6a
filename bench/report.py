"""docs/PERFORMANCE.md from the benchmark's figures: one table per database (a column per
size), then the targets at the largest size with "met" or the measured figure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol


class _Result(Protocol):
    label: str
    orders: int
    generate_s: float
    figures: dict[str, float]


ROWS = (
    ("route first", "dashboard route, first call in a new process (ms)"),
    ("route median", "dashboard route, warm (ms, median)"),
    ("route cpu", "dashboard route, warm, CPU time of the process (ms)"),
    ("dashboard_service median", "dashboard service call, warm (ms)"),
    ("action_queue median", "… of which the action queue (read from the orders), warm (ms)"),
    ("rollup_reads median", "… and the rest, read from the rollups, warm (ms)"),
    ("rollup_reads cpu", "… the rest, CPU time of the process (ms)"),
    ("action_queue cpu", "… the action queue, CPU time of the process (ms)"),
    ("plain_sql_dashboard median", "same numbers by plain SQL over the orders, warm (ms)"),
    ("plain_sql_dashboard cpu", "plain SQL, CPU time of the process (ms)"),
    ("analytics first", "analytics page data, first call (ms)"),
    ("analytics median", "analytics page data, warm (ms)"),
    ("analytics cpu", "analytics page data, CPU time of the process (ms)"),
    ("apptest first", "dashboard page, one AppTest run, first (ms)"),
    ("apptest median", "dashboard page, one AppTest run, warm (ms)"),
    ("checkout alone", "checkout (place + cancel) alone (ms)"),
    ("checkout during dashboard", "checkout while dashboards load (ms)"),
    ("peak memory (MB)", "probe process peak memory (MB)"),
    ("load average", "machine load average while measured (2 cores)"),
)


NOTES = [
    "## Reading",
    "",
    "- **What the dashboard reads.** KPIs, revenue per day, by category, top products and "
    "orders by status come from the rollups: for a 90-day range about 90 rows per table and "
    "~1,800 day × product rows, whatever the number of orders. The action queue (orders to "
    "fulfil, flagged orders, stock alerts) is read from the orders; its row shows what it "
    "costs. Its lists and counts read the partial indexes `ix_orders_awaiting` and "
    "`ix_orders_attention` (migration 0005), which hold only the orders it asks for, so it "
    "no longer grows with the history.",
    "- **Plain SQL** is the pre-rollup way, kept in `shopora.services.analytics`: the same "
    "numbers aggregated from `orders` and `order_items` on each call. The property test "
    "asserts both ways return the same numbers.",
    "- **Analytics** reads the rollups too. The funnel counts *distinct* shoppers, which daily "
    "totals cannot add up, so it reads one row per shopper and day in the range "
    "(`rollup_customer_days`, about one row per order): the one analytics read that grows with "
    "the orders. Fulfilment medians come from an hourly histogram (medians to the hour); "
    "averages are exact (sums of seconds over counts).",
    "- **Checkout during a dashboard load** (SQLite): a thread loads the dashboard in a loop "
    "while checkouts run; the difference to a checkout alone is the delay. Reads begin "
    "deferred and take no write lock, so what is left is the reader's CPU: both threads "
    "share one process (the GIL) and a shared 2-core machine.",
    "- **Generation** is one transaction of driver-level executemany (see `bench/generate.py`), "
    "on SQLite with a 256 MB page cache and the full-text indexes rebuilt once at the end; "
    "on this shared machine its wall time is partly waiting for a core.",
    "",
]


def merge(existing: str, report: str) -> str:
    """`report` with every `## ` section of `existing` that it does not write itself kept after
    it: the load, order-search and checkout-during-a-read sections come from other bench
    modules (and notes by hand), so rewriting the file must not drop them."""
    mine = {heading for heading, _ in _sections(report)}
    kept = [body for heading, body in _sections(existing) if heading and heading not in mine]
    return "\n\n".join([report.rstrip("\n"), *(body.rstrip("\n") for body in kept)]) + "\n"


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading, text) per `## ` section, the text before the first one under heading ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line.strip(), []))
        sections[-1][1].append(line)
    return [(heading, "\n".join(lines) + "\n") for heading, lines in sections]


def ratio(figures: dict[str, float]) -> float:
    return figures["plain_sql_dashboard median"] / max(figures["route median"], 1e-6)


def render(results: Sequence[_Result], *, machine: str) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`python -m bench.run`; 1 M orders with "
        "`make bench BENCH_SIZES=10000,100000,1000000`) on " + machine + ". Data: the seeded "
        "shop plus N orders over a year from `python -m bench.generate` (≥ 50,000 customers "
        "at 1 M, 1–5 lines each, the status mix in `bench/history_rows.py`); 90-day range. "
        "The machine is shared with other jobs (see the load average row: above 2 the "
        "probe waits for a core), so absolute figures carry noise; ratios measured in the "
        "same run are steadier.",
        "",
    ]
    for label in dict.fromkeys(r.label for r in results):
        mine = sorted((r for r in results if r.label == label), key=lambda r: r.orders)
        lines += _table(label, mine)
    lines += _targets(results)
    lines += NOTES
    return "\n".join(lines) + "\n"


def _table(label: str, results: list[_Result]) -> list[str]:
    head = "| " + label + " | " + " | ".join(f"{r.orders:,} orders" for r in results) + " |"
    lines = [f"## {label}", "", head, "|---|" + "---:|" * len(results)]
    lines.append(
        "| generate the data (s) | " + " | ".join(f"{r.generate_s:.0f}" for r in results) + " |"
    )
    known = {key for key, _ in ROWS}
    hidden = (" max", " cpu")
    extra = [k for r in results for k in r.figures if k not in known and not k.endswith(hidden)]
    rows = [*ROWS, *((k, k + " (ms)") for k in dict.fromkeys(extra))]
    for key, name in rows:
        if any(key in r.figures for r in results):
            cells = [_cell(r.figures.get(key)) for r in results]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = [f"{ratio(r.figures):.0f}×" for r in results]
    lines.append("| plain SQL ÷ dashboard route (warm) | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return "failed (database is locked)" if math.isnan(value) else f"{value:,.1f}"


def _targets(results: Sequence[_Result]) -> list[str]:
    lines = [
        "## Targets at the largest size measured",
        "",
        "| database | orders | what | target | measured | met |",
        "|---|---:|---|---|---:|---|",
    ]
    for label in dict.fromkeys(r.label for r in results):
        mine = sorted((r for r in results if r.label == label), key=lambda r: r.orders)
        small, big = mine[0], mine[-1]
        f = big.figures
        checks = [
            ("dashboard route, first call", "≤ 100 ms", f["route first"], f["route first"] <= 100),
            ("dashboard route, warm", "≤ 20 ms", f["route median"], f["route median"] <= 20),
            ("plain SQL ÷ route", "≥ 20×", ratio(f), ratio(f) >= 20),
            ("analytics data", "≤ 300 ms", f["analytics median"], f["analytics median"] <= 300),
            ("dashboard AppTest run", "≤ 500 ms", f["apptest median"], f["apptest median"] <= 500),
        ]
        if label == "SQLite" and "route cpu" in f:
            cpu_ratio = f["plain_sql_dashboard cpu"] / max(f["route cpu"], 1e-6)
            checks += [
                (
                    "dashboard route, warm, CPU time",
                    "≤ 20 ms",
                    f["route cpu"],
                    f["route cpu"] <= 20,
                ),
                ("plain SQL ÷ route, CPU time", "≥ 20×", cpu_ratio, cpu_ratio >= 20),
                (
                    "analytics data, CPU time",
                    "≤ 300 ms",
                    f["analytics cpu"],
                    f["analytics cpu"] <= 300,
                ),
            ]
            if "rollup_reads cpu" in f:
                rest = f["rollup_reads cpu"]
                rest_ratio = f["plain_sql_dashboard cpu"] / max(rest, 1e-6)
                checks += [
                    ("dashboard less its action queue, CPU time", "≤ 20 ms", rest, rest <= 20),
                    (
                        "plain SQL ÷ dashboard less queue, CPU",
                        "≥ 20×",
                        rest_ratio,
                        rest_ratio >= 20,
                    ),
                ]
        if "checkout during dashboard" in f:
            extra = f["checkout during dashboard"] - f["checkout alone"]
            checks.append(("checkout slowed by a dashboard load", "≤ 50 ms", extra, extra <= 50))
        if big is not small:
            for key, name in (
                ("route median", "dashboard route"),
                ("analytics median", "analytics"),
            ):
                growth = f[key] / max(small.figures[key], 1e-6)
                checks.append(
                    (
                        f"growth of {name}, {small.orders:,} → {big.orders:,}",
                        "≤ 2×",
                        growth,
                        growth <= 2,
                    )
                )
        for name, target, value, met in checks:
            lines.append(
                f"| {label} | {big.orders:,} | {name} | {target} | {_cell(value)} | "
                f"{'yes' if met else '**no**'} |"
            )
    return [*lines, ""]
