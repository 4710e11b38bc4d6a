"""My orders: every order with its status, and one order's detail (?order=<id>): timeline,
items, totals, the payment proof, and for an unpaid order "Pay now" and "Cancel order"."""

import streamlit as st

from shopora.errors import NotFound
from shopora.models import Order, OrderItem, OrderStatus, Role
from shopora.payments.receipts import Receipt
from shopora.ui import errors
from shopora.ui.auth import require_role
from shopora.ui.components import links, order_status, payment, timeline, totals
from shopora.ui.components import receipt as receipt_view
from shopora.ui.components.clock import when
from shopora.ui.facade import shop
from shopora.ui.facade.shop import OrderSummary
from shopora.ui.format import money
from shopora.ui.layout import page_setup
from shopora.ui.nav import SHOP
from shopora.ui.state import StateKeys

ORDER_PARAM = "order"
PER_PAGE = 10

page_setup("My orders", ":material/package_2:")
user = require_role(Role.CUSTOMER)
links.arrived("my_orders")


def open_order(order_id: int) -> None:
    st.query_params[ORDER_PARAM] = str(order_id)


def close_order() -> None:
    st.query_params.pop(ORDER_PARAM, None)


def bought(items: list[OrderItem], shown: int = 3) -> str:
    """What the order holds, e.g. "2 × Ember Mug, 1 × Notebook and 2 more"."""
    names = [f"{item.quantity} × {item.name}" for item in items]
    rest = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {rest} more" if rest > 0 else "")


def row(summary: OrderSummary) -> None:
    order = summary.order
    with st.container(border=True):
        number, status, total, action = st.columns([3, 3, 2, 2], vertical_alignment="center")
        number.markdown(f"**{order.number}**  \n{when(order.created_at)}")
        number.caption(bought(summary.items))
        status.markdown(order_status.badges(order))
        total.markdown(f"**{money(order.total_cents, order.currency)}**")
        action.button(
            "Pay now" if order.status == OrderStatus.PENDING else "Details",
            key=f"order_open_{order.id}",
            on_click=open_order,
            args=(order.id,),
            type="primary" if order.status == OrderStatus.PENDING else "secondary",
            width="stretch",
        )


def listing() -> None:
    st.title("My orders")
    mine = shop.customer_orders(user.id)
    if not mine:
        with st.container(border=True, horizontal_alignment="center"):
            st.markdown("### :material/package_2: No orders yet")
            st.write("When you buy something, you can follow it here from payment to delivery.")
            links.link(SHOP, "Browse the shop")
        return
    pages = -(-len(mine) // PER_PAGE)
    current = st.session_state.get("orders_page", 1) if pages > 1 else 1
    for summary in shop.with_items(mine[(current - 1) * PER_PAGE : current * PER_PAGE]):
        row(summary)
    if pages > 1:
        st.pagination(pages, key="orders_page", width="stretch")


def pay_or_cancel(order: Order) -> None:
    with st.container(border=True):
        st.markdown("#### :material/pending: Waiting for your payment")
        cancelled = payment.pay_or_cancel(
            order,
            user=user,
            label="Pay now",
            key="orders_cancel",
            note="Its items are held for you until the payment page expires.",
        )
        if cancelled:
            if st.session_state.get(StateKeys.CHECKOUT_ORDER_ID) == order.id:
                st.session_state.pop(StateKeys.CHECKOUT_ORDER_ID, None)
                st.session_state.pop(StateKeys.CHECKOUT_KEY, None)
            st.session_state[StateKeys.FLASH] = f"Order {order.number} is cancelled."
            st.rerun()


def detail(found: Receipt) -> None:
    order = found.order
    st.title(f"Order {order.number}")
    st.markdown(f"{order_status.badges(order)} &nbsp; {order_status.sentence(order)}")
    st.caption(f"Placed {when(order.created_at)}")
    if order.status == OrderStatus.PENDING:
        pay_or_cancel(order)
    story, facts = st.columns([2, 3], gap="large")
    with story, st.container(border=True):
        st.subheader("Timeline")
        timeline.show(found.events, currency=order.currency)
    with facts, st.container(border=True):
        st.subheader("Items")
        receipt_view.items_table(found.items, order.currency)
        totals.show_order(order)
        receipt_view.address(order)
    if found.payment is not None:
        receipt_view.verified(found.payment)


def order_view(order_id: int) -> None:
    st.button("All orders", key="orders_back", icon=":material/arrow_back:", on_click=close_order)
    try:
        found = shop.customer_receipt(order_id, user.id)
    except NotFound as exc:
        errors.show(exc)
        return
    detail(found)


selected = st.query_params.get(ORDER_PARAM)
if selected and selected.isdigit():
    order_view(int(selected))
else:
    listing()
