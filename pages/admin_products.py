"""Products & stock: every product's stock at a glance, create and edit products, record
restocks and corrections with a note, read a product's ledger, archive or delete."""

import streamlit as st

from shopora.models import Product, Role
from shopora.services.actors import Actor
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup
from shopora.ui.ops import product_form, stock
from shopora.ui.ops.dialogs import show_notices
from shopora.ui.ops.style import console_style

page_setup("Products & stock", ":material/inventory_2:")
console_style()
user = require_role(Role.OPERATOR)
actor = Actor(user.username, user.id)

st.title("Products & stock")
show_notices()
archived = st.toggle("Show archived products", value=True, key="products_archived")
rows, categories = stock.overview(archived)
stock.table(rows)

with st.expander("New product", icon=":material/add:"):
    created = product_form.create_form(categories, actor)
    if created is not None:
        stock.close_product()
        st.query_params["product"] = str(created)
        st.rerun()


def panel(item: Product) -> None:
    head, close = st.columns([5, 1], vertical_alignment="bottom")
    head.subheader(f"{item.name} · {item.sku}")
    close.button(
        "Close", icon=":material/close:", key="product_close", on_click=stock.close_product
    )
    picture, numbers = st.columns([1, 4])
    image = product_form.image_file(item.image)
    if image is not None:
        picture.image(str(image), width="stretch")
    on_hand, held, available = numbers.columns(3)
    on_hand.metric("On hand", item.stock_on_hand, border=True)
    held.metric("Reserved", item.reserved, help="Held for pending orders", border=True)
    available.metric("Available", item.available, border=True)
    status = "On sale" if item.active else "Archived (hidden from the shop)"
    numbers.caption(f"{status} · low-stock threshold {item.low_stock_threshold}")
    change, details, history = st.tabs(["Stock change", "Details", "Ledger"])
    with change:
        stock.adjust_form(item, actor)
    with details:
        if product_form.edit_form(item, categories, actor):
            st.rerun()
        stock.lifecycle_buttons(item, actor)
    with history:
        stock.ledger(item)


opened = stock.opened_product()
if opened is None:
    st.caption("Select a product in the table to change its stock, edit it or read its ledger.")
else:
    item = stock.product(opened)
    if item is not None:
        panel(item)
