"""The order console: operators only; filters, detail, and the actions an order's state allows,
each confirmed and each written to the order's timeline with the operator's name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from shopora.db import session_scope
from shopora.errors import ValidationFailed
from shopora.models import EventKind, Order, OrderEvent, OrderStatus
from shopora.services import admin_orders, ops_console
from shopora.services.admin_order_filter import OrderFilter
from shopora.ui.format import money
from shopora.ui.ops.amounts import dollars_to_cents
from shopora.ui.ops.order_table import FLAG, number_of
from tests.ui.conftest import page_path, run_page, seeded_user, sign_in_as

Page = Callable[..., AppTest]


@pytest.fixture
def orders_page(history_db: str) -> Page:
    """`orders_page("operator", order=5)` → the page run as that user, optionally at ?order=5."""

    def run(username: str | None, *, order: int | None = None) -> AppTest:
        return run_page("admin_orders", username, order=order)

    return run


def an_order(status: OrderStatus) -> Order:
    with session_scope() as session:
        order = session.exec(
            select(Order).where(Order.status == status).order_by(col(Order.id))
        ).first()
    assert order is not None
    return order


def order_now(order_id: int) -> Order:
    with session_scope() as session:
        order = session.get(Order, order_id)
    assert order is not None
    return order


def last_event(order_id: int) -> OrderEvent:
    with session_scope() as session:
        events = session.exec(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(col(OrderEvent.id))
        ).all()
    return events[-1]


def numbers(at: AppTest) -> list[str]:
    """The order numbers in the table, read back from their links."""
    return [number_of(url) for url in at.dataframe[0].value["Order"]]


def statuses(at: AppTest) -> set[str]:
    """The statuses in the table (each cell holds one status pill)."""
    return {cell[0] for cell in at.dataframe[0].value["Status"]}


def action_keys(at: AppTest) -> set[str]:
    return {b.key.removeprefix("order_action_") for b in at.button if b.key.startswith("order_")}


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(orders_page: Page) -> None:
    at = orders_page(None)

    assert "Please sign in" in at.error[0].value
    assert not at.dataframe


@pytest.mark.parametrize("username", ["customer", "analyst"])
def test_customers_and_analysts_are_turned_away(orders_page: Page, username: str) -> None:
    at = orders_page(username)

    assert "This page is for operators" in at.error[0].value
    assert not at.dataframe
    assert not at.button


def test_the_list_shows_the_newest_orders_and_counts_all_matches(orders_page: Page) -> None:
    at = orders_page("operator")

    with session_scope() as session:
        found = admin_orders.search_orders(session=session, filters=OrderFilter())
    assert not at.exception
    assert numbers(at) == [row.number for row in found.rows]
    assert f"{found.total:,} matching orders" in at.caption[0].value
    assert at.download_button(key="orders_csv").label == "Export CSV"


def test_totals_dates_and_counts_are_typed_so_they_sort_as_what_they_are(
    orders_page: Page,
) -> None:
    at = orders_page("operator")

    table = at.dataframe[0].value
    with session_scope() as session:
        found = admin_orders.search_orders(session=session, filters=OrderFilter())
    assert table["Total"].dtype.kind == "f" and table["Items"].dtype.kind == "i"
    assert str(table["Placed"].dtype).startswith("datetime64")
    assert list(table["Total"] * 100) == pytest.approx([r.total_cents for r in found.rows])
    by_total = table.sort_values("Total", ascending=False)["Total"].tolist()
    assert by_total == sorted(by_total, reverse=True)


def test_each_saved_view_shows_its_live_count_and_filters_the_list(orders_page: Page) -> None:
    at = orders_page("operator")

    with session_scope() as session:
        counts = ops_console.view_counts(session=session)
    views = at.segmented_control(key="orders_view")
    assert views.options == [f"{view.label} · {counts[view.name]:,}" for view in ops_console.VIEWS]
    views.set_value("unfulfilled").run()
    assert statuses(at) <= {"paid", "processing"}
    assert f"{counts['unfulfilled']:,} matching orders" in at.caption[0].value


def test_a_dashboard_link_with_a_view_opens_the_list_filtered_to_it(history_db: str) -> None:
    at = run_page("admin_orders", "operator", view="pending")

    with session_scope() as session:
        pending = ops_console.view_counts(session=session)["pending"]
    assert at.segmented_control(key="orders_view").value == "pending"
    assert statuses(at) == {"pending"}
    assert f"{pending:,} matching orders" in at.caption[0].value


def test_the_order_number_is_a_link_that_opens_the_order(history_db: str) -> None:
    wanted = an_order(OrderStatus.SHIPPED)
    listed = run_page("admin_orders", "operator")
    assert listed.dataframe[0].value["Order"][0].startswith("admin_orders?order=SO-")

    at = AppTest.from_file(str(page_path("admin_orders")), default_timeout=30)
    at.query_params["order"] = wanted.number
    sign_in_as(at, seeded_user("operator")).run()

    assert at.title[0].value == f"Order {wanted.number}"


def test_back_from_an_order_the_list_keeps_its_view_and_search(orders_page: Page) -> None:
    at = orders_page("operator")
    at.segmented_control(key="orders_view").set_value("unfulfilled").run()
    wanted = numbers(at)[-1]
    at.text_input(key="orders_query").input(wanted).run()
    listed = numbers(at)
    assert listed == [wanted]

    at.query_params["order"] = listed[0]
    at.run()
    assert at.title[0].value == f"Order {listed[0]}"
    at.button(key="order_back").click().run()

    assert at.segmented_control(key="orders_view").value == "unfulfilled"
    assert at.text_input(key="orders_query").value == wanted
    assert numbers(at) == listed


def test_next_and_previous_walk_the_pages_and_a_filter_starts_again_at_the_first(
    orders_page: Page,
) -> None:
    # given more orders than one page holds
    with session_scope() as session:
        first = admin_orders.search_orders(session=session, filters=OrderFilter())
        second = admin_orders.search_orders(
            session=session, filters=OrderFilter(after=first.next_after)
        )
    assert first.next_after is not None
    at = orders_page("operator")

    # when / then
    at.button(key="orders_next").click().run()
    assert numbers(at) == [row.number for row in second.rows]
    assert "page 2 of" in at.caption[0].value
    at.button(key="orders_previous").click().run()
    assert numbers(at) == [row.number for row in first.rows]
    at.button(key="orders_next").click().run()
    at.selectbox(key="orders_status").set_value("paid").run()
    assert "page 1 of" in at.caption[0].value


def test_filtering_by_status_and_searching_by_number(orders_page: Page) -> None:
    at = orders_page("operator")

    at.selectbox(key="orders_status").set_value("paid").run()
    assert statuses(at) == {"paid"}

    wanted = an_order(OrderStatus.SHIPPED)
    at.selectbox(key="orders_status").set_value(None)
    at.text_input(key="orders_query").input(wanted.number).run()
    assert numbers(at) == [wanted.number]


def test_an_order_opened_by_link_shows_customer_payment_proof_and_timeline(
    orders_page: Page,
) -> None:
    order = an_order(OrderStatus.DELIVERED)

    at = orders_page("operator", order=order.id)

    with session_scope() as session:
        customer = admin_orders.order_detail(session=session, order_id=order.id or 0).customer
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert not at.exception
    assert at.title[0].value == f"Order {order.number}"
    assert order.shipping_name in shown
    assert str(order.stripe_session_id) in shown
    assert str(order.payment_intent_id) in shown
    assert f"**{money(customer.lifetime_value_cents)}** lifetime value" in shown
    assert "Timeline" in [h.value for h in at.subheader]


def test_only_the_actions_the_orders_state_allows_are_offered(orders_page: Page) -> None:
    paid, delivered = an_order(OrderStatus.PAID), an_order(OrderStatus.DELIVERED)

    at = orders_page("operator", order=paid.id)
    assert {"start_processing", "refund", "cancel_with_refund"} <= action_keys(at)
    assert not {"ship", "deliver", "cancel"} & action_keys(at)

    at = orders_page("operator", order=delivered.id)
    assert not {"start_processing", "ship", "deliver", "cancel"} & action_keys(at)


def test_an_order_goes_from_paid_to_delivered_and_every_step_is_on_its_timeline(
    orders_page: Page,
) -> None:
    order = an_order(OrderStatus.PAID)
    at = orders_page("operator", order=order.id)

    at.button(key="order_action_start_processing").click().run()
    at.button(key="confirm_start_processing").click().run()
    assert order_now(order.id).status == OrderStatus.PROCESSING
    assert last_event(order.id).actor == "operator"
    assert "ship" in action_keys(at)

    at.button(key="order_action_ship").click().run()
    at.selectbox(key="dlg_ship_carrier").set_value("UPS")
    at.button(key="confirm_ship").click().run()
    assert "Enter the tracking number" in at.error[0].value
    assert order_now(order.id).status == OrderStatus.PROCESSING

    at.text_input(key="dlg_ship_tracking").input("1Z999AA10123456784")
    at.button(key="confirm_ship").click().run()
    shipped = order_now(order.id)
    assert (shipped.status, shipped.carrier) == (OrderStatus.SHIPPED, "UPS")
    assert last_event(order.id).kind == EventKind.SHIPPED

    at.button(key="order_action_deliver").click().run()
    at.button(key="confirm_deliver").click().run()
    assert order_now(order.id).status == OrderStatus.DELIVERED
    event = last_event(order.id)
    assert (event.kind, event.actor) == (EventKind.DELIVERED, "operator")
    assert any("is delivered" in s.value for s in at.success)


def test_a_note_lands_on_the_timeline_with_the_operators_name(orders_page: Page) -> None:
    order = an_order(OrderStatus.SHIPPED)
    at = orders_page("operator", order=order.id)

    at.text_area(key="order_note_text").input("Customer asked to leave it with a neighbour.")
    at.button[-1].click().run()  # the form's submit button

    event = last_event(order.id)
    assert (event.kind, event.actor) == (EventKind.NOTE, "operator")
    assert event.note == "Customer asked to leave it with a neighbour."


def test_selected_paid_orders_start_processing_together_after_a_confirmation(
    orders_page: Page,
) -> None:
    at = orders_page("operator")
    at.selectbox(key="orders_status").set_value("paid").run()
    paid = numbers(at)[:2]

    at.session_state["orders_table"] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    at.button(key="orders_bulk_processing").click().run()
    assert all(order_now(an_order_id(n)).status == OrderStatus.PAID for n in paid)
    at.button(key="orders_bulk_confirm").click().run()

    assert all(order_now(an_order_id(n)).status == OrderStatus.PROCESSING for n in paid)
    assert any("Processing started" in s.value for s in at.success)
    assert "orders_bulk_processing" not in [b.key for b in at.button]  # selection cleared


def test_selected_shipped_orders_are_marked_delivered_together_after_a_confirmation(
    orders_page: Page,
) -> None:
    at = orders_page("operator")
    at.selectbox(key="orders_status").set_value("shipped").run()
    shipped = numbers(at)[:2]

    at.session_state["orders_table"] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    assert "orders_selected_csv" in [b.key for b in at.get("download_button")]
    at.button(key="orders_bulk_deliver").click().run()
    assert all(order_now(an_order_id(n)).status == OrderStatus.SHIPPED for n in shipped)
    at.button(key="orders_bulk_deliver_confirm").click().run()

    assert all(order_now(an_order_id(n)).status == OrderStatus.DELIVERED for n in shipped)
    assert any("Delivered:" in s.value for s in at.success)


def an_order_id(number: str) -> int:
    with session_scope() as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
    return order.id or 0


def test_the_needs_attention_view_shows_only_flagged_orders_and_one_can_be_resolved(
    orders_page: Page,
) -> None:
    at = orders_page("operator")
    at.segmented_control(key="orders_view").set_value("attention").run()
    flagged = list(at.dataframe[0].value["Attention"])
    assert flagged and all(list(flag) == [FLAG] for flag in flagged)

    number = numbers(at)[0]
    at = orders_page("operator", order=an_order_id(number))
    at.button(key="order_action_resolve_attention").click().run()
    at.text_input(key="dlg_resolve_note").input("Switched to express, customer confirmed.")
    at.button(key="confirm_resolve").click().run()

    assert order_now(an_order_id(number)).needs_attention is False
    event = last_event(an_order_id(number))
    assert (event.actor, event.note) == (
        "operator",
        "Attention resolved: Switched to express, customer confirmed.",
    )
    assert "resolve_attention" not in action_keys(at)


def test_an_order_that_does_not_exist_says_so(orders_page: Page) -> None:
    at = orders_page("operator", order=999_999)

    assert not at.exception
    assert "couldn't find that order" in at.error[0].value


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12.34", 1234), ("12", 1200), ("12.5", 1250), ("$1,200.05", 120005), (" 0.07 ", 7)],
)
def test_amounts_typed_in_dollars_become_exact_cents(typed: str, cents: int) -> None:
    assert dollars_to_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "0", "1e3"])
def test_amounts_that_are_not_money_are_refused_on_their_field(typed: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        dollars_to_cents(typed, field="amount_cents")
    assert refused.value.field == "amount_cents"
