"""The dashboard: operators' front page, read-only for analysts, closed to everyone else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from shopora.config import get_settings
from shopora.db import session_scope
from shopora.formatting import money_whole
from shopora.models.base import utcnow
from shopora.services import admin_orders, analytics, ops_console
from shopora.ui.format import money
from tests.ui.conftest import run_page


@pytest.fixture
def dashboard(history_db: str) -> Callable[[str | None], AppTest]:
    """`dashboard("operator")` → the page, run as that seeded user (None: anonymous)."""
    return lambda username: run_page("dashboard", username)


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
    assert shown["Net revenue"] == money_whole(kpis.net_revenue_cents)
    assert shown["Paid orders"] == f"{kpis.paid_orders:,}"
    assert shown["Avg. order"] == money(kpis.aov_cents)
    assert shown["Items sold"] == f"{kpis.items_sold:,}"
    assert shown["Paid of placed"] == f"{kpis.conversion:.1%}"
    assert shown["Refunds"] == f"{money_whole(kpis.refunds_cents)} · {kpis.refund_count}"
    assert money(kpis.net_revenue_cents) in at.metric[0].help  # the exact amount, to the cent
    assert kpis.paid_orders > 0


def test_changing_the_period_recomputes_the_numbers(dashboard) -> None:
    at = dashboard("operator")

    at.segmented_control(key="dashboard_preset").set_value("7d").run()

    with session_scope() as session:
        period = analytics.DateRange.preset("7d", utcnow())
        kpis = analytics.kpis(session=session, period=period, compare=True)
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Paid orders"] == f"{kpis.paid_orders:,}"
    assert shown["Net revenue"] == money_whole(kpis.net_revenue_cents)


def test_operators_get_a_link_to_each_order_awaiting_fulfilment(dashboard) -> None:
    at = dashboard("operator")

    with session_scope() as session:
        queue = analytics.action_queue(session=session, now=utcnow(), limit=8)
    oldest = queue.awaiting_fulfilment[0]
    assert f"admin_orders?order={oldest.order_id}" in texts(at)
    assert f"Awaiting fulfilment · {queue.awaiting_total}" in texts(at)


def test_each_queue_count_links_to_the_orders_list_filtered_the_same_way(dashboard) -> None:
    at = dashboard("operator")

    with session_scope() as session:
        queue = analytics.action_queue(session=session, now=utcnow(), limit=5)
    shown = texts(at)
    assert f"[**Awaiting fulfilment · {queue.awaiting_total}**](admin_orders?view=unfulfilled)" in (
        shown
    )
    assert f"[**Needs attention · {queue.attention_total}**](admin_orders?view=attention)" in shown
    hidden = queue.awaiting_total - len(queue.awaiting_fulfilment)
    assert f"[…and {hidden} more in Orders](admin_orders?view=unfulfilled)" in shown


def test_the_newest_order_to_ship_is_shown_even_when_older_ones_fill_the_list(dashboard) -> None:
    at = dashboard("operator")

    with session_scope() as session:
        queue = analytics.action_queue(session=session, now=utcnow(), limit=5)
        unfulfilled = ops_console.saved_view("unfulfilled").filters
        newest = admin_orders.search_orders(session=session, filters=unfulfilled).rows[0]
    assert newest.order_id not in {row.order_id for row in queue.awaiting_fulfilment}
    assert f"[Newest: {newest.number} · {newest.customer_name}]" in texts(at)
    assert f"admin_orders?order={newest.order_id}" in texts(at)


def test_what_needs_doing_comes_before_the_period_and_its_numbers(dashboard) -> None:
    at = dashboard("operator")

    shown = texts(at)
    assert shown.index("Awaiting fulfilment") < shown.index("compared with")
    assert "open_in_new" not in shown  # queue links open in this tab and do not say otherwise


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
