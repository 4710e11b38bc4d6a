"""Analytics: analysts' front page (operators read it too), read-only, a CSV under each table."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
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
def analytics_page(
    history_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str | None], AppTest]]:
    """`analytics_page("analyst")` → the page, run as that seeded user (None: anonymous)."""
    path = tmp_path / "shop.sqlite3"
    shutil.copy(history_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("SHOPORA_ENV", "test")
    get_settings.cache_clear()
    get_engine.cache_clear()

    def run(username: str | None) -> AppTest:
        at = AppTest.from_file(str(page_path("analytics")), default_timeout=30)
        return sign_in_as(at, seeded_user(username) if username else None).run()

    yield run
    get_engine.cache_clear()
    get_settings.cache_clear()


def seeded_user(username: str) -> User:
    with session_scope() as session:
        user = users.get_user_by_username(session=session, username=username)
    assert user is not None
    return user


def table_with(at: AppTest, *columns: str):
    """The first table showing all these columns (read-only tables carry no key)."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def last_30_days() -> analytics.DateRange:
    return analytics.DateRange.preset("30d", utcnow())


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(analytics_page) -> None:
    at = analytics_page(None)

    assert "Please sign in" in at.error[0].value
    assert not at.dataframe


def test_a_customer_is_turned_away(analytics_page) -> None:
    at = analytics_page("customer")

    assert "for analysts or operators" in at.error[0].value
    assert not at.dataframe


def test_an_analyst_reads_every_section_without_an_action_button(analytics_page) -> None:
    at = analytics_page("analyst")

    assert not at.exception
    headings = [h.value for h in at.subheader]
    for section in (
        "Revenue trend",
        "Category mix over time",
        "Top categories",
        "Top products",
        "Discount impact",
        "Fulfilment speed",
        "Refunds",
        "Funnel",
    ):
        assert section in headings
    assert not at.button  # only downloads: nothing here changes the shop
    assert len(at.get("plotly_chart")) == 4


def test_every_table_has_a_csv_download_under_it(analytics_page) -> None:
    at = analytics_page("analyst")

    downloads = [button.key for button in at.download_button]
    for table in (
        "an_trend",
        "an_mix",
        "an_categories",
        "an_products",
        "an_discounts",
        "an_funnel",
        "an_speed",
        "an_refunds",
    ):
        assert f"{table}_csv" in downloads
    assert len(at.dataframe) <= len(downloads)


def test_the_top_products_and_refund_rate_are_the_services_numbers(analytics_page) -> None:
    at = analytics_page("operator")

    with session_scope() as session:
        top = analytics.top_products(session=session, period=last_30_days(), limit=10)
        rate = analytics.refund_rate(session=session, period=last_30_days())
    products = table_with(at, "Product", "SKU")
    assert list(products["Product"]) == [row.name for row in top]
    assert list(products["Revenue"]) == [money(row.revenue_cents) for row in top]
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Refund rate"] == f"{rate.rate:.1%}"
    assert shown["Refunded amount"] == money(rate.refunded_cents)


def test_a_custom_range_reads_the_numbers_for_those_days(analytics_page) -> None:
    at = analytics_page("analyst")
    today = utcnow().date()
    first, last = today - timedelta(days=13), today - timedelta(days=7)

    at.segmented_control(key="analytics_preset").set_value("custom").run()
    at.date_input(key="analytics_range").set_value((first, last)).run()

    with session_scope() as session:
        period = analytics.DateRange.between_days(first, last)
        discounts = analytics.discount_impact(session=session, period=period)
    assert not at.exception
    table = table_with(at, "Code", "Discount given")
    assert list(table["Orders"]) == [row.orders for row in discounts]
    trend = table_with(at, "Day", "Paid orders")
    assert len(trend) == 7
