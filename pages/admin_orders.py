"""The order console: find, export and bulk-process orders; open one to see its customer,
payment proof and timeline, and move it on with the actions its state allows."""

import streamlit as st

from shopora.models import Role
from shopora.services.actors import Actor
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup
from shopora.ui.ops import order_actions, order_detail, order_list, payment_history
from shopora.ui.ops.dialogs import show_notices
from shopora.ui.ops.style import console_style

page_setup("Orders", ":material/list_alt:")
console_style()
user = require_role(Role.OPERATOR)
actor = Actor(user.username, user.id)
order_id = order_detail.opened_order()


def list_view() -> None:
    st.title("Orders")
    show_notices()
    view = order_list.view_picker()
    wanted = order_list.filters(view)
    page = order_list.load(wanted)
    if page is None:
        return
    count, export = st.columns([4, 1], vertical_alignment="center")
    of = f"{page.pages:,}+" if page.capped else f"{page.pages:,}"
    count.caption(f"{page.total_label} matching orders · page {order_list.page_number()} of {of}")
    export.download_button(
        "Export CSV",
        data=lambda: order_list.export(wanted),
        file_name="shopora-orders.csv",
        mime="text/csv",
        icon=":material/download:",
        key="orders_csv",
        on_click="ignore",
        disabled=not page.total,
    )
    bulk = st.container()  # above the table, filled once the table says what is selected
    selected = order_list.table(page)
    order_list.pager(page)
    with bulk:
        order_list.bulk_bar(selected, actor)


def detail_view(order_id: int) -> None:
    order_list.keep_filters()
    order_detail.back_to_list()
    detail = order_detail.load(order_id)
    if detail is None:
        return
    order_detail.header(detail)
    show_notices()
    order_detail.attention(detail.order)
    order_actions.action_bar(detail, actor)
    main, side = st.columns([2, 1], gap="large")
    with main:
        st.subheader("Items")
        order_detail.items(detail)
        order_detail.refunds(detail.refunds, detail.order.currency)
        st.subheader("Payments")
        payment_history.attempts(detail)
        payment_history.webhook_log(detail)
        st.subheader("Timeline")
        order_detail.timeline(detail.events)
        order_actions.note_form(detail, actor)
    with side:
        order_detail.customer(detail.customer)
        order_detail.payment(detail.order)
        order_detail.shipping(detail.order)


if order_id is None:
    list_view()
else:
    detail_view(order_id)
