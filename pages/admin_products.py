"""Products & stock: every product's stock at a glance; a product opens in a dialog over the
table to change its stock, edit it, read its ledger, archive or delete it."""

import streamlit as st

from shopora.models import Category, Role
from shopora.services.actors import Actor
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup
from shopora.ui.ops import product_form, stock
from shopora.ui.ops.dialogs import show_notices, toast_after_rerun
from shopora.ui.ops.style import console_style

page_setup("Products & stock", ":material/inventory_2:")
console_style()
user = require_role(Role.OPERATOR)
actor = Actor(user.username, user.id)

st.title("Products & stock")
show_notices()
archived = st.toggle("Show archived products", value=True, key="products_archived")
rows, categories = stock.overview(archived)
st.caption("Select a product to change its stock, edit it or read its ledger.")
stock.table(rows)

with st.expander("New product", icon=":material/add:"):
    created = product_form.create_form(categories, actor)
    if created is not None:
        stock.close_product()
        st.query_params["product"] = str(created.id)
        toast_after_rerun(f"Created {created.name} ({created.sku}). Add its stock now.")


@st.dialog("Product", width="large", on_dismiss=stock.close_product)
def panel(product_id: int, categories: list[Category]) -> None:
    """Read again on each of the dialog's own reruns, so a stock change shows at once."""
    item = stock.product(product_id)
    if item is None:
        return
    st.subheader(f"{item.name} · {item.sku}")
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
        saved = product_form.edit_form(item, categories, actor)
        if saved is not None:
            toast_after_rerun(f"Saved {saved.name}.")
        stock.lifecycle_buttons(item, actor)
    with history:
        stock.ledger(item)


opened = stock.opened_product()
if opened is not None:
    panel(opened, categories)
