"""Analytics: analysts' front page (operators read it too), read-only, a CSV under each table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from shopora.db import session_scope
from shopora.models.base import utcnow
from shopora.services import analytics
from shopora.ui.format import money
from tests.ui.conftest import run_page


@pytest.fixture
def analytics_page(history_db: str) -> Callable[[str | None], AppTest]:
    """`analytics_page("analyst")` → the page, run as that seeded user (None: anonymous)."""
    return lambda username: run_page("analytics", username)


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
    assert list(products["Revenue"] * 100) == pytest.approx([row.revenue_cents for row in top])
    assert products["Revenue"].dtype.kind == "f"  # a number shown as currency: sorts as one
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


def test_the_funnel_counts_orders_at_each_step_and_prints_no_empty_cell(analytics_page) -> None:
    at = analytics_page("analyst")

    with session_scope() as session:
        funnel = analytics.funnel(session=session, period=last_30_days())
    table = table_with(at, "Step", "Orders")
    assert list(table["Orders"]) == [funnel.pending_orders, funnel.paid_orders]
    assert funnel.paid_orders < funnel.pending_orders  # two distinct steps, not 100 % twice
    assert not table.isna().any().any()
    assert "None" not in table.astype(str).to_numpy()
