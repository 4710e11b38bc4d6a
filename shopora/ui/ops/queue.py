"""The dashboard's action queue: orders to fulfil, orders flagged, products running out.
Each box's count links to the orders list filtered to the same orders."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from shopora.models.base import utcnow
from shopora.services.admin_orders import OrderRow
from shopora.services.analytics import ActionQueue, QueueOrder, StockAlert
from shopora.ui.format import age, badge, money
from shopora.ui.ops.links import order_link, product_link, view_link


def show_queue(queue: ActionQueue, newest: OrderRow | None, *, actions: bool) -> None:
    """Three boxes side by side; `actions` (operators) turns counts and rows into links.
    `newest` (the latest order to ship) is shown too when the oldest-first list hides it."""
    fulfil, attention, stock = st.columns(3)
    with fulfil.container(border=True):
        _heading(
            f"Awaiting fulfilment · {queue.awaiting_total}",
            "unfulfilled",
            ":material/local_shipping:",
            actions,
        )
        st.caption("Paid, not shipped yet — oldest first")
        _newest(newest, queue.awaiting_fulfilment, actions)
        _orders(queue.awaiting_fulfilment, queue.awaiting_total, actions, "Nothing to ship.")
        _more(queue.awaiting_total - len(queue.awaiting_fulfilment), "unfulfilled", actions)
    with attention.container(border=True):
        _heading(
            f"Needs attention · {queue.attention_total}", "attention", ":material/flag:", actions
        )
        st.caption("Flagged by payment checks or an operator")
        _orders(queue.needs_attention, queue.attention_total, actions, "Nothing flagged.")
        _more(queue.attention_total - len(queue.needs_attention), "attention", actions)
    with stock.container(border=True):
        low, out = len(queue.low_stock), len(queue.sold_out)
        st.markdown(f"**:material/inventory: Stock alerts · {low} low, {out} sold out**")
        st.caption("Active products at or under their low-stock threshold")
        _stock(queue.sold_out, actions, sold_out=True)
        _stock(queue.low_stock, actions, sold_out=False)
        if not low and not out:
            st.write(":green[Every product is well stocked.]")


def _heading(title: str, view: str, icon: str, actions: bool) -> None:
    if actions:
        view_link(view, f"**{title}**", icon=icon)
    else:
        st.markdown(f"**{icon} {title}**")


def _more(hidden: int, view: str, actions: bool) -> None:
    if hidden <= 0:
        return
    if actions:
        view_link(view, f"…and {hidden} more in Orders", icon=":material/arrow_forward:")
    else:
        st.caption(f"…and {hidden} more in Orders.")


def _newest(newest: OrderRow | None, listed: Sequence[QueueOrder], actions: bool) -> None:
    if newest is None or newest.order_id in {row.order_id for row in listed}:
        return
    title = f"Newest: {newest.number} · {newest.customer_name}"
    if actions:
        order_link(newest.order_id, title)
    else:
        st.markdown(f"**{title}**")
    since = f"paid {age(utcnow() - newest.paid_at)} ago" if newest.paid_at else "not paid"
    st.caption(f"{badge(newest.status)} {money(newest.total_cents)} · {since}")


def _orders(rows: Sequence[QueueOrder], total: int, actions: bool, empty: str) -> None:
    if not rows:
        st.write(f":green[{empty}]")
        return
    for row in rows:
        title = f"{row.number} · {row.customer_name}"
        if actions:
            order_link(row.order_id, title)
        else:
            st.markdown(f"**{title}**")
        since = "paid" if row.paid_at else "placed"
        note = (
            f" · :orange[:material/warning:] {row.attention_reason}" if row.attention_reason else ""
        )
        st.caption(
            f"{badge(row.status)} {money(row.total_cents)} · {since} {age(row.age)} ago{note}"
        )


def _stock(rows: Sequence[StockAlert], actions: bool, *, sold_out: bool) -> None:
    for row in rows:
        if actions:
            product_link(row.product_id, row.name)
        else:
            st.markdown(f"**{row.name}**")
        state = ":red-badge[Sold out]" if sold_out else f":orange-badge[{row.available} left]"
        st.caption(f"{state} {row.sku} · threshold {row.threshold}")
