"""Products & stock: the stock table, one product's stock changes and ledger, archive/delete."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from shopora.models import Category, MovementReason, Product
from shopora.services.actors import Actor
from shopora.services.products_admin import StockRow
from shopora.ui.facade import ops
from shopora.ui.format import label, money
from shopora.ui.ops.dialogs import close_dialog, dialog_is_open, done, notify, open_dialog
from shopora.ui.ops.fields import Slots, attempt, succeeded
from shopora.ui.ops.tables import download, raw_frame

TABLE_KEY = "products_table"


def overview(include_archived: bool) -> tuple[list[StockRow], list[Category]]:
    return ops.stock_overview(include_archived)


def opened_product() -> int | None:
    """The product in the URL (?product=<id>), from a selected row or a dashboard link."""
    raw = st.query_params.get("product")
    return int(raw) if raw and raw.isdigit() else None


def close_product() -> None:
    st.query_params.pop("product", None)
    st.session_state.pop(TABLE_KEY, None)


def product(product_id: int) -> Product | None:
    return attempt(lambda: ops.product(product_id))


def _stock_state(row: StockRow) -> str:
    if row.sold_out:
        return "Sold out"
    return "Low" if row.low else "OK"


def _open_selected(rows: list[StockRow]) -> None:
    """A newly selected row opens its product (?product=<id>); only a change of selection
    does, so a product opened another way is not replaced by a stale row position."""
    chosen = st.session_state[TABLE_KEY].selection.rows
    if chosen and chosen[0] < len(rows):
        st.query_params["product"] = str(rows[chosen[0]].product_id)


def table(rows: list[StockRow]) -> None:
    """Every product's stock; selecting a row opens that product."""
    shown = pd.DataFrame(
        {
            "SKU": [r.sku for r in rows],
            "Name": [r.name for r in rows],
            "Category": [r.category for r in rows],
            "Price": [money(r.price_cents) for r in rows],
            "On hand": [r.on_hand for r in rows],
            "Reserved": [r.reserved for r in rows],
            "Available": [r.available for r in rows],
            "Stock": [_stock_state(r) for r in rows],
            "Active": [r.active for r in rows],
            "Featured": [r.featured for r in rows],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(rows) + 1) + 3, 738),
        column_config={
            "Reserved": st.column_config.NumberColumn(help="Held for pending orders"),
            "Available": st.column_config.NumberColumn(help="On hand minus reserved"),
            "Stock": st.column_config.TextColumn(help="Low: at or under the threshold"),
        },
        on_select=lambda: _open_selected(rows),
        selection_mode="single-row",
        key=TABLE_KEY,
    )


def adjust_form(item: Product, actor: Actor) -> None:
    """A restock or a correction, always with the reason written down."""
    slots = Slots()
    with st.form(f"adjust_{item.id}", clear_on_submit=False, border=False):
        delta_col, reason_col = st.columns(2)
        delta = delta_col.number_input(
            "Change in units",
            -100_000,
            100_000,
            0,
            step=1,
            help="Positive adds stock, negative removes it.",
            key=f"adjust_delta_{item.id}",
        )
        with delta_col:
            slots.under("delta")
        reason = reason_col.radio(
            "Reason",
            [MovementReason.RESTOCK.value, MovementReason.ADJUSTMENT.value],
            format_func=label,
            horizontal=True,
            key=f"adjust_reason_{item.id}",
        )
        with reason_col:
            slots.under("reason")
        note = st.text_input(
            "Note",
            placeholder="e.g. delivery from supplier, damaged unit",
            key=f"adjust_note_{item.id}",
        )
        slots.under("note")
        submitted = st.form_submit_button("Record stock change", icon=":material/inventory:")
    if not submitted:
        return
    changed = attempt(
        lambda: ops.adjust_stock(
            product_id=item.id or 0,
            delta=int(delta),
            actor=actor,
            note=note,
            reason=MovementReason(reason),
        ),
        slots,
    )
    if changed is not None:
        done(f"{changed.name}: {changed.stock_on_hand} on hand now.")


def ledger(item: Product) -> None:
    """Typed columns (a datetime, a signed int, the order's number), so nothing mixes types."""
    moves = ops.ledger(item.id or 0)
    if not moves:
        st.caption("No stock movements yet.")
        return
    shown = pd.DataFrame(
        {
            "When": pd.to_datetime([m.created_at for m in moves], utc=True),
            "Change": pd.array([m.delta for m in moves], dtype="int64"),
            "Reason": [label(m.reason) for m in moves],
            "Order": [m.order_number or "" for m in moves],
            "By": [m.actor for m in moves],
            "Note": [m.note for m in moves],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=300,
        column_config={
            "When": st.column_config.DatetimeColumn("When (UTC)", format="MMM D, YYYY HH:mm"),
            "Change": st.column_config.NumberColumn("Change", format="%+d"),
        },
        key=f"ledger_{item.id}",
    )
    download(raw_frame(moves), key=f"ledger_{item.id}", file_name=f"ledger-{item.sku}.csv")


def lifecycle_buttons(item: Product, actor: Actor) -> None:
    """Archive or restore; delete (which archives instead when history refers to it)."""
    left, right, _ = st.columns([1, 1, 3])
    product_id = item.id or 0
    if item.active:
        if left.button("Archive", icon=":material/archive:", key="product_archive") and succeeded(
            lambda: ops.archive_product(product_id=product_id, actor=actor)
        ):
            done(f"{item.name} is archived: hidden from the shop.")
    elif left.button("Restore", icon=":material/unarchive:", key="product_restore") and succeeded(
        lambda: ops.restore_product(product_id=product_id, actor=actor)
    ):
        done(f"{item.name} is back on sale.")
    if right.button("Delete…", icon=":material/delete:", key="product_delete"):
        open_dialog(f"product:{item.id}:delete")
    if dialog_is_open(f"product:{item.id}:delete"):
        confirm_delete(item, actor)


@st.dialog("Delete product", on_dismiss=close_dialog)
def confirm_delete(item: Product, actor: Actor) -> None:
    st.write(
        f"Delete **{item.name}** ({item.sku})? If any order, hold or stock movement refers to "
        "it, it is archived instead so the history stays whole."
    )
    if not st.button("Delete", type="primary", key="confirm_product_delete"):
        return
    outcome = attempt(lambda: ops.delete_product(product_id=item.id or 0, actor=actor))
    if outcome == "deleted":
        close_product()
        done(f"{item.name} is deleted.")
    elif outcome == "archived":
        notify(
            "info",
            f"{item.name} has orders or stock history, so it was archived instead of deleted.",
        )
        close_dialog()
        st.rerun()
