"""The order console's list: saved views with live counts, filters, the page of matching
orders, Prev/Next paging, CSV, and bulk processing of the selection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

import streamlit as st

from shopora.errors import ShoporaError
from shopora.models import OrderStatus, PaymentStatus
from shopora.services.actors import Actor
from shopora.services.admin_order_filter import OrderFilter, OrderSort
from shopora.services.admin_orders import OrderPage, OrderRow
from shopora.services.ops_console import VIEW_NAMES, VIEWS, count_label, saved_view
from shopora.ui import errors
from shopora.ui.facade import ops
from shopora.ui.format import label
from shopora.ui.ops import order_table
from shopora.ui.ops.dialogs import close_dialog, dialog_is_open, notify, open_dialog
from shopora.ui.ops.tables import download, raw_frame

SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "total_desc": "Largest total",
    "total_asc": "Smallest total",
}
PER_PAGE = 50
TABLE_KEY = "orders_table"
VIEW_KEY = "orders_view"
# The list's widgets; kept alive while an order is open so "All orders" comes back to them.
FILTER_KEYS = ("orders_query", "orders_status", "orders_payment", "orders_sort", VIEW_KEY)


def clear_selection() -> None:
    """Selected rows are positions in the table: once the rows change, they would point
    at other orders. Changed filters also start again at the first page."""
    st.session_state.pop(TABLE_KEY, None)
    st.session_state.pop(CURSORS_KEY, None)


def keep_filters() -> None:
    """Streamlit forgets a widget's value in a run that does not draw it; copied back into
    session state, the value survives until the list draws the widget again."""
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def view_picker() -> str:
    """The saved views as pills with live counts; ?view=<name> (a dashboard link) picks one."""
    asked = st.query_params.get("view")
    if asked in VIEW_NAMES and st.session_state.get("orders_view_from_url") != asked:
        st.session_state[VIEW_KEY] = asked
        st.session_state["orders_view_from_url"] = asked  # the URL wins once, then the pills
        clear_selection()
    counts = ops.view_counts()
    titles = {v.name: f"{v.label} · {count_label(counts.get(v.name, 0))}" for v in VIEWS}
    chosen = st.segmented_control(
        "View",
        list(titles),
        format_func=titles.__getitem__,
        default="all",
        required=True,
        key=VIEW_KEY,
        on_change=_view_changed,
        label_visibility="collapsed",
    )
    return chosen or "all"


def _view_changed() -> None:
    clear_selection()
    st.query_params["view"] = st.session_state.get(VIEW_KEY) or "all"
    st.session_state["orders_view_from_url"] = st.query_params["view"]


def filters(view: str) -> OrderFilter:
    """The view narrowed by the filter bar; changing a filter clears the selection."""
    search, status, payment, placed, sort = st.columns([3, 2, 2, 3, 2], vertical_alignment="bottom")
    query = search.text_input(
        "Search",
        placeholder="Order number, email or name",
        key="orders_query",
        on_change=clear_selection,
    )
    chosen_status = status.selectbox(
        "Status",
        [s.value for s in OrderStatus],
        index=None,
        format_func=label,
        placeholder="Any status",
        key="orders_status",
        on_change=clear_selection,
    )
    chosen_payment = payment.selectbox(
        "Payment",
        [p.value for p in PaymentStatus],
        index=None,
        format_func=label,
        placeholder="Any payment",
        key="orders_payment",
        on_change=clear_selection,
    )
    days = placed.date_input(
        "Placed between", value=[], key="orders_dates", on_change=clear_selection
    )
    order = sort.selectbox(
        "Sort",
        list(SORTS),
        format_func=SORTS.__getitem__,
        key="orders_sort",
        on_change=clear_selection,
    )
    first, last = _day_bounds(days)
    return replace(
        saved_view(view).filters,
        status=chosen_status,
        payment_status=chosen_payment,
        date_from=first,
        date_to=last,
        query=query.strip()[:200],
        sort=cast(OrderSort, order),
        per_page=PER_PAGE,
    )


def _day_bounds(days: Any) -> tuple[datetime | None, datetime | None]:
    """Whole UTC days, both included: [first 00:00, day after last 00:00)."""
    picked = list(days) if isinstance(days, (tuple, list)) else [days] if days else []
    if not picked:
        return None, None
    first, last = picked[0], picked[-1]
    start = datetime.combine(first, time(), tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)


def load(wanted: OrderFilter) -> OrderPage | None:
    """The page the pager is on (keyset: the cursor after the previous page's last row)."""
    try:
        return ops.search_orders(replace(wanted, after=_cursors()[-1]))
    except ShoporaError as exc:
        st.session_state.pop(CURSORS_KEY, None)
        errors.show(exc)
        return None


def export(wanted: OrderFilter) -> str:
    return ops.orders_csv(wanted)


def table(page: OrderPage) -> list[OrderRow]:
    """The page of orders; returns the rows the operator selected."""
    if not page.rows:
        st.info("No orders match these filters.", icon=":material/search_off:")
        return []
    event = st.dataframe(
        order_table.frame(page.rows),
        hide_index=True,
        width="stretch",
        height=min(35 * (len(page.rows) + 1) + 3, 738),
        column_config=order_table.columns(),
        on_select="rerun",
        selection_mode="multi-row",
        key=TABLE_KEY,
    )
    chosen = event.selection.rows if event is not None else []
    return [page.rows[i] for i in chosen if 0 <= i < len(page.rows)]


CURSORS_KEY = "orders_cursors"


def _cursors() -> list[str | None]:
    """The `after` cursor of every page visited on the way here: [None] on the first page."""
    cursors: list[str | None] = st.session_state.setdefault(CURSORS_KEY, [None])
    return cursors


def page_number() -> int:
    return len(_cursors())


def _forward(cursor: str) -> None:
    st.session_state.pop(TABLE_KEY, None)
    _cursors().append(cursor)


def _back() -> None:
    st.session_state.pop(TABLE_KEY, None)
    if len(_cursors()) > 1:
        _cursors().pop()


def pager(page: OrderPage) -> None:
    """Previous / next page buttons (pages follow each other: there is no jumping to page N)."""
    if page_number() == 1 and page.next_after is None:
        return
    back, forward, _ = st.columns([1, 1, 5])
    back.button(
        "Previous", icon=":material/chevron_left:", key="orders_previous",
        disabled=page_number() == 1, on_click=_back,
    )  # fmt: skip
    if page.next_after is not None:
        forward.button(
            "Next", icon=":material/chevron_right:", key="orders_next",
            on_click=_forward, args=(page.next_after,),
        )  # fmt: skip


def bulk_bar(selected: list[OrderRow], actor: Actor) -> None:
    """Actions on the ticked rows: open one, start processing the paid ones, mark the shipped
    ones delivered (each after a confirmation), or export them."""
    if not selected:
        st.caption(
            "Click an order number to open it; tick rows to process, deliver or export them "
            "in bulk."
        )
        return
    paid = [row for row in selected if row.status == OrderStatus.PAID]
    shipped = [row for row in selected if row.status == OrderStatus.SHIPPED]
    left, right, deliver, export = st.columns([2, 3, 3, 2])
    if deliver.button(
        f"Mark {len(shipped)} shipped delivered",
        icon=":material/done_all:",
        disabled=not shipped,
        help="Only shipped orders can be marked delivered; others are skipped.",
        key="orders_bulk_deliver",
    ):
        open_dialog("bulk_deliver")
    if dialog_is_open("bulk_deliver"):
        confirm_bulk_deliver(shipped, actor)
    with export:
        download(
            raw_frame(selected),
            key="orders_selected",
            file_name="orders-selected.csv",
            label="Export selected",
        )
    if len(selected) == 1 and left.button(
        f"Open {selected[0].number}", icon=":material/open_in_full:", key="orders_open"
    ):
        st.query_params["order"] = selected[0].number
        st.rerun()
    if right.button(
        f"Start processing {len(paid)} paid order{'s' * (len(paid) != 1)}",
        icon=":material/inventory:",
        disabled=not paid,
        help="Only paid orders can start processing; others are skipped.",
        key="orders_bulk_processing",
    ):
        open_dialog("bulk")
    if dialog_is_open("bulk"):
        confirm_bulk(paid, actor)


@st.dialog("Mark delivered", on_dismiss=close_dialog)
def confirm_bulk_deliver(rows: list[OrderRow], actor: Actor) -> None:
    st.write(f"Mark these {len(rows)} shipped orders as **delivered**?")
    if _confirmed(rows, "Mark delivered", key="orders_bulk_deliver_confirm"):
        _apply(ops.bulk_deliver, rows, actor, done="Delivered:")


@st.dialog("Start processing", on_dismiss=close_dialog)
def confirm_bulk(rows: list[OrderRow], actor: Actor) -> None:
    st.write(f"Move these {len(rows)} paid orders to **processing**?")
    if _confirmed(rows, "Start processing", key="orders_bulk_confirm"):
        _apply(ops.bulk_start_processing, rows, actor, done="Processing started for")


def _confirmed(rows: list[OrderRow], label: str, *, key: str) -> bool:
    st.markdown("\n".join(f"- {row.number} · {row.customer_name}" for row in rows))
    return st.button(label, type="primary", key=key)


def _apply(
    action: Callable[..., tuple[list[str], list[str]]],
    rows: list[OrderRow],
    actor: Actor,
    *,
    done: str,
) -> None:
    """Run a bulk action, say what moved and what was refused, and close the dialog."""
    moved, refused = action(order_ids=[row.order_id for row in rows], actor=actor)
    if moved:
        notify("success", f"{done} {', '.join(moved)}.")
    for message in refused:
        notify("warning", message)
    clear_selection()
    close_dialog()
    st.rerun()
