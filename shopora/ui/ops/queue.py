"""The dashboard's action queue: orders to fulfil, orders flagged, products running out."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from shopora.services.analytics import ActionQueue, QueueOrder, StockAlert
from shopora.ui.format import age, badge, money
from shopora.ui.ops.links import order_link, product_link


def show_queue(queue: ActionQueue, *, actions: bool) -> None:
    """Three boxes side by side; `actions` (operators) turns each row into a link."""
    fulfil, attention, stock = st.columns(3)
    with fulfil.container(border=True):
        st.markdown(f"**:material/local_shipping: Awaiting fulfilment · {queue.awaiting_total}**")
        st.caption("Paid, not shipped yet — oldest first")
        _orders(queue.awaiting_fulfilment, queue.awaiting_total, actions, "Nothing to ship.")
    with attention.container(border=True):
        st.markdown(f"**:material/flag: Needs attention · {queue.attention_total}**")
        st.caption("Flagged by payment checks or an operator")
        _orders(queue.needs_attention, queue.attention_total, actions, "Nothing flagged.")
    with stock.container(border=True):
        low, out = len(queue.low_stock), len(queue.sold_out)
        st.markdown(f"**:material/inventory: Stock alerts · {low} low, {out} sold out**")
        st.caption("Active products at or under their low-stock threshold")
        _stock(queue.sold_out, actions, sold_out=True)
        _stock(queue.low_stock, actions, sold_out=False)
        if not low and not out:
            st.write(":green[Every product is well stocked.]")


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
        st.caption(
            f"{badge(row.status)} {money(row.total_cents)} · {since} {age(row.age)} ago",
        )
        if row.attention_reason:
            st.caption(f":orange[:material/warning:] {row.attention_reason}")
    if total > len(rows):
        st.caption(f"…and {total - len(rows)} more in Orders.")


def _stock(rows: Sequence[StockAlert], actions: bool, *, sold_out: bool) -> None:
    for row in rows:
        if actions:
            product_link(row.product_id, row.name)
        else:
            st.markdown(f"**{row.name}**")
        state = ":red-badge[Sold out]" if sold_out else f":orange-badge[{row.available} left]"
        st.caption(f"{state} {row.sku} · threshold {row.threshold}")
