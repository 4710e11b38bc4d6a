"""One fresh process's view of an operator's screens (run by bench.run, one per database):

    python -m bench.probe --database-url URL [--repeat 20]

Prints JSON: the dashboard route's first call in this process and its warm median, the
analytics page data, the same dashboard numbers computed by plain SQL over the source rows,
the dashboard page as one AppTest run (first and warm), and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any, Final

RANGE: Final = "90d"


def ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cpu_ms(fn: Callable[[], object]) -> float:
    """This process's CPU time for one call: on a busy machine, wall time also counts the
    wait for a core; CPU time does not (for SQLite it is the whole query; for PostgreSQL
    only the client's part)."""
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


def first_and_warm(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    first = ms(fn)
    samples = sorted(ms(fn) for _ in range(repeat))
    cpu = statistics.median(cpu_ms(fn) for _ in range(max(1, repeat // 2)))
    return {"first": first, "median": statistics.median(samples), "max": samples[-1], "cpu": cpu}


def plain_sql_dashboard(session: Any, period: Any) -> object:
    """The dashboard's numbers the way they were computed before rollups: from the orders."""
    from shopora.services import analytics

    return (
        analytics.kpis(session=session, period=period, compare=True),
        analytics.revenue_by_day(session=session, period=period),
        analytics.revenue_by_category(session=session, period=period),
        analytics.top_products(session=session, period=period, limit=8),
        analytics.orders_by_status(session=session, period=period),
        analytics.action_queue(session=session, limit=8),
    )


def rollup_reads(session: Any, period: Any) -> object:
    from shopora.services import analytics_rollups as rollups

    return (
        rollups.kpis(session=session, period=period, compare=True),
        rollups.revenue_by_day(session=session, period=period),
        rollups.revenue_by_category(session=session, period=period),
        rollups.top_products(session=session, period=period, limit=8),
        rollups.orders_by_status(session=session, period=period),
    )


def route(repeat: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from shopora.api.app import create_api

    client = TestClient(create_api())
    token = client.post("/auth/token", data={"username": "operator", "password": "operator123"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def call() -> None:
        response = client.get(
            "/admin/analytics/dashboard", params={"range": RANGE}, headers=headers
        )
        assert response.status_code == 200, response.text

    return first_and_warm(call, repeat)


def services(repeat: int, plain_repeat: int) -> dict[str, dict[str, float]]:
    from shopora.db import session_scope
    from shopora.services.analytics_base import DateRange
    from shopora.services.analytics_queue import action_queue
    from shopora.services.dashboard import dashboard
    from shopora.services.insights import insights

    period = DateRange.preset(RANGE)
    with session_scope() as session:
        return {
            "dashboard_service": first_and_warm(
                lambda: dashboard(session=session, period=period), repeat
            ),
            "analytics": first_and_warm(lambda: insights(session=session, period=period), repeat),
            # The dashboard less its action queue: the part read from the rollups.
            "rollup_reads": first_and_warm(lambda: rollup_reads(session, period), repeat),
            # Read from the orders themselves (the search engineer's partial indexes serve it).
            "action_queue": first_and_warm(lambda: action_queue(session=session, limit=8), repeat),
            "plain_sql_dashboard": first_and_warm(
                lambda: plain_sql_dashboard(session, period), plain_repeat
            ),
        }


def apptest() -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from shopora.config import ROOT
    from shopora.ui.state import StateKeys

    def run() -> None:
        at = AppTest.from_file(str(ROOT / "pages" / "dashboard.py"), default_timeout=120)
        for key, value in (
            (StateKeys.AUTH_STATUS, True),
            (StateKeys.USERNAME, "operator"),
            (StateKeys.NAME, "Operator"),
            (StateKeys.EMAIL, "operator@shopora.test"),
            (StateKeys.ROLES, ["operator"]),
        ):
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception

    return {"first": ms(run), "median": statistics.median(ms(run) for _ in range(3))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--plain-repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SHOPORA_ENV", "test")
    result: dict[str, Any] = {"route": route(args.repeat)}
    result.update(services(args.repeat, args.plain_repeat))
    result["apptest"] = apptest()
    # ru_maxrss is in KiB on Linux.
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
