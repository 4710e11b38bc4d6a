"""Products & stock: the stock table, one product's stock changes and ledger, archive/delete.

The stock form records in its submit button's callback: there a successful change can put
the form back to "0" and an empty note (a widget's value may only be set before it is drawn),
so a second click cannot record the same +5 again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from shopora.errors import ShoporaError
from shopora.models import Category, MovementReason, Product
from shopora.services.actors import Actor
from shopora.services.products_admin import StockRow
from shopora.ui.facade import ops
from shopora.ui.format import label
from shopora.ui.ops.dialogs import toast_after_rerun
from shopora.ui.ops.fields import Slots, attempt, succeeded
from shopora.ui.ops.tables import dollars, download, money_column, raw_frame

TABLE_KEY = "products_table"
DELETE_KEY = "product_delete_asked"
STOCK_TINTS = {"OK": "#dcf3e2", "Low": "#feead6", "Sold out": "#fde2e2"}
LISTING_TINTS = {"On sale": "#e0e9fd", "Archived": "#eceef2", "Featured": "#fdf3c4"}


def overview(include_archived: bool) -> tuple[list[StockRow], list[Category]]:
    return ops.stock_overview(include_archived)


def opened_product() -> int | None:
    """The product in the URL (?product=<id>), from a selected row or a dashboard link."""
    raw = st.query_params.get("product")
    return int(raw) if raw and raw.isdigit() else None


def close_product() -> None:
    st.query_params.pop("product", None)
    st.session_state.pop(TABLE_KEY, None)
    st.session_state.pop(DELETE_KEY, None)


def product(product_id: int) -> Product | None:
    return attempt(lambda: ops.product(product_id))


def _stock_state(row: StockRow) -> str:
    if row.sold_out:
        return "Sold out"
    return "Low" if row.low else "OK"


def _listing(row: StockRow) -> list[str]:
    return ["On sale" if row.active else "Archived"] + (["Featured"] if row.featured else [])


def _open_selected(rows: list[StockRow]) -> None:
    """A newly selected row opens its product (?product=<id>); only a change of selection
    does, so a product opened another way is not replaced by a stale row position."""
    chosen = st.session_state[TABLE_KEY].selection.rows
    if chosen and chosen[0] < len(rows):
        st.query_params["product"] = str(rows[chosen[0]].product_id)
        st.session_state.pop(DELETE_KEY, None)


def _pills(tints: dict[str, str], title: str, help: str) -> Any:
    return st.column_config.MultiselectColumn(
        title, options=list(tints), color=list(tints.values()), help=help
    )


def table(rows: list[StockRow]) -> None:
    """Every product's stock; selecting a row opens that product in a dialog."""
    shown = pd.DataFrame(
        {
            "SKU": [r.sku for r in rows],
            "Name": [r.name for r in rows],
            "Category": [r.category for r in rows],
            "Price": [dollars(r.price_cents) for r in rows],
            "On hand": pd.array([r.on_hand for r in rows], dtype="int64"),
            "Reserved": pd.array([r.reserved for r in rows], dtype="int64"),
            "Available": pd.array([r.available for r in rows], dtype="int64"),
            "Stock": [[_stock_state(r)] for r in rows],
            "Listing": [_listing(r) for r in rows],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(rows) + 1) + 3, 738),
        column_config={
            "Price": money_column("Price"),
            "Reserved": st.column_config.NumberColumn(help="Held for pending orders"),
            "Available": st.column_config.NumberColumn(help="On hand minus reserved"),
            "Stock": _pills(STOCK_TINTS, "Stock", "Low: at or under the low-stock threshold"),
            "Listing": _pills(LISTING_TINTS, "Listing", "Archived products are hidden"),
        },
        on_select=lambda: _open_selected(rows),
        selection_mode="single-row",
        key=TABLE_KEY,
    )


def _keys(product_id: int) -> tuple[str, str, str, str]:
    """The stock form's widget keys: delta, reason, note, and the refusal to show."""
    return (
        f"adjust_delta_{product_id}",
        f"adjust_reason_{product_id}",
        f"adjust_note_{product_id}",
        f"adjust_refused_{product_id}",
    )


def _record(product_id: int, actor: Actor) -> None:
    """The stock form's submit: record the change; on success empty the form and toast."""
    delta, reason, note, refused = _keys(product_id)
    state = st.session_state
    try:
        changed = ops.adjust_stock(
            product_id=product_id,
            delta=int(state[delta]),
            actor=actor,
            note=str(state[note]),
            reason=MovementReason(state[reason]),
        )
    except ShoporaError as exc:
        state[refused] = (exc.message, exc.field)
        return
    state[delta], state[note] = 0, ""
    st.toast(f"{changed.name}: {changed.stock_on_hand} on hand now.", icon=":material/inventory:")


def adjust_form(item: Product, actor: Actor) -> None:
    """A restock or a correction, always with the reason written down."""
    product_id = item.id or 0
    delta, reason, note, refused = _keys(product_id)
    slots = Slots()
    with st.form(f"adjust_{product_id}", border=False):
        delta_col, reason_col = st.columns(2)
        delta_col.number_input(
            "Change in units",
            -100_000,
            100_000,
            0,
            step=1,
            help="Positive adds stock, negative removes it.",
            key=delta,
        )
        with delta_col:
            slots.under("delta")
        reason_col.radio(
            "Reason",
            [MovementReason.RESTOCK.value, MovementReason.ADJUSTMENT.value],
            format_func=label,
            horizontal=True,
            key=reason,
        )
        with reason_col:
            slots.under("reason")
        st.text_input("Note", placeholder="e.g. delivery from supplier, damaged unit", key=note)
        slots.under("note")
        st.form_submit_button(
            "Record stock change",
            icon=":material/inventory:",
            on_click=_record,
            args=(product_id, actor),
        )
    if refusal := st.session_state.pop(refused, None):
        slots.show(ShoporaError(refusal[0], field=refusal[1]))


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
    """Archive or restore; delete (which archives instead when history refers to it),
    confirmed in place: the product is already in a dialog, and dialogs do not nest."""
    left, right, _ = st.columns([1, 1, 3])
    product_id = item.id or 0
    if item.active:
        if left.button("Archive", icon=":material/archive:", key="product_archive") and succeeded(
            lambda: ops.archive_product(product_id=product_id, actor=actor)
        ):
            toast_after_rerun(f"{item.name} is archived: hidden from the shop.")
    elif left.button("Restore", icon=":material/unarchive:", key="product_restore") and succeeded(
        lambda: ops.restore_product(product_id=product_id, actor=actor)
    ):
        toast_after_rerun(f"{item.name} is back on sale.")
    if right.button("Delete…", icon=":material/delete:", key="product_delete"):
        st.session_state[DELETE_KEY] = product_id
    if st.session_state.get(DELETE_KEY) == product_id:
        confirm_delete(item, actor)


def confirm_delete(item: Product, actor: Actor) -> None:
    st.warning(
        f"Delete **{item.name}** ({item.sku})? If any order, hold or stock movement refers to "
        "it, it is archived instead so the history stays whole.",
        icon=":material/delete:",
    )
    yes, no, _ = st.columns([1, 1, 3])
    if no.button("Keep it", key="cancel_product_delete"):
        st.session_state.pop(DELETE_KEY, None)
        st.rerun()
    if not yes.button("Delete", type="primary", key="confirm_product_delete"):
        return
    st.session_state.pop(DELETE_KEY, None)
    outcome = attempt(lambda: ops.delete_product(product_id=item.id or 0, actor=actor))
    if outcome == "deleted":
        close_product()
        toast_after_rerun(f"{item.name} is deleted.")
    elif outcome == "archived":
        toast_after_rerun(
            f"{item.name} has orders or stock history, so it was archived instead of deleted."
        )
