"""The dashboard: operators' front page, read-only for analysts, closed to everyone else."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from shopora.config import get_settings
from shopora.db import build_engine, get_engine, session_scope
from shopora.models import User
from shopora.models.base import utcnow
from shopora.seed import seed_database
from shopora.services import analytics, users
from shopora.ui.format import money
from tests.ui.conftest import page_path, sign_in_as


@pytest.fixture(scope="module")
def history_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with its 90-day order history, seeded once for the module."""
    path = tmp_path_factory.mktemp("history") / "shop.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = build_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=True)
    engine.dispose()
    return path


@pytest.fixture
def dashboard(
    history_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str | None], AppTest]]:
    """`dashboard("operator")` → the page, run as that seeded user (None: anonymous)."""
    path = tmp_path / "shop.sqlite3"
    shutil.copy(history_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("SHOPORA_ENV", "test")
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(username: str | None) -> AppTest:
        at = AppTest.from_file(str(page_path("dashboard")), default_timeout=30)
        return sign_in_as(at, seeded_user(username) if username else None).run()

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def seeded_user(username: str) -> User:
    with session_scope() as session:
        user = users.get_user_by_username(session=session, username=username)
    assert user is not None
    return user


def texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in (*at.markdown, *at.caption))


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(dashboard) -> None:
    at = dashboard(None)

    assert "Please sign in" in at.error[0].value
    assert not at.metric


def test_a_customer_is_turned_away(dashboard) -> None:
    at = dashboard("customer")

    assert "for operators or analysts" in at.error[0].value
    assert not at.metric


def test_the_kpi_cards_show_the_services_numbers_for_the_last_30_days(dashboard) -> None:
    at = dashboard("operator")

    with session_scope() as session:
        period = analytics.DateRange.preset("30d", utcnow())
        kpis = analytics.kpis(session=session, period=period, compare=True)
    shown = {metric.label: metric.value for metric in at.metric}
    assert not at.exception
    assert shown["Net revenue"] == money(kpis.net_revenue_cents)
    assert shown["Paid orders"] == f"{kpis.paid_orders:,}"
    assert shown["Average order value"] == money(kpis.aov_cents)
    assert shown["Items sold"] == f"{kpis.items_sold:,}"
    assert shown["Pending → paid"] == f"{kpis.conversion:.1%}"
    assert shown["Refunds"] == f"{money(kpis.refunds_cents)} · {kpis.refund_count}"
    assert kpis.paid_orders > 0


def test_changing_the_period_recomputes_the_numbers(dashboard) -> None:
    at = dashboard("operator")

    at.segmented_control(key="dashboard_preset").set_value("7d").run()

    with session_scope() as session:
        period = analytics.DateRange.preset("7d", utcnow())
        kpis = analytics.kpis(session=session, period=period, compare=True)
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Paid orders"] == f"{kpis.paid_orders:,}"
    assert shown["Net revenue"] == money(kpis.net_revenue_cents)


def test_operators_get_a_link_to_each_order_awaiting_fulfilment(dashboard) -> None:
    at = dashboard("operator")

    with session_scope() as session:
        queue = analytics.action_queue(session=session, now=utcnow(), limit=8)
    oldest = queue.awaiting_fulfilment[0]
    assert f"admin_orders?order={oldest.order_id}" in texts(at)
    assert f"Awaiting fulfilment · {queue.awaiting_total}" in texts(at)


def test_operators_get_the_emulators_webhook_log_in_emulator_mode(dashboard) -> None:
    at = dashboard("operator")

    (link,) = at.get("link_button")
    assert link.proto.url == f"{get_settings().emulator_url}/deliveries"


def test_analysts_read_the_dashboard_without_anything_to_act_on(dashboard) -> None:
    at = dashboard("analyst")

    assert not at.exception
    assert len(at.metric) == 6
    assert "admin_orders?order=" not in texts(at)
    assert "admin_products?product=" not in texts(at)
    assert not at.button
    assert not at.get("link_button")
    assert "Read-only" in texts(at)


def test_the_four_sales_charts_are_drawn(dashboard) -> None:
    at = dashboard("analyst")

    assert len(at.get("plotly_chart")) == 4
