"""Discount codes: the usage table and the create/edit form with an error slot per field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from shopora.errors import ShoporaError, ValidationFailed
from shopora.models import DiscountCode, DiscountKind
from shopora.services.discounts_admin import CodeUsage, DiscountInput
from shopora.ui.facade import ops
from shopora.ui.format import currency_symbol, label, money
from shopora.ui.ops.amounts import cents_to_text, dollars_to_cents
from shopora.ui.ops.fields import Slots, attempt
from shopora.ui.ops.tables import dollars, money_column

TABLE_KEY = "discounts_table"
KINDS = {
    DiscountKind.PERCENT.value: "Percent off",
    DiscountKind.FIXED.value: "Amount off",
    DiscountKind.FREE_SHIPPING.value: "Free shipping",
}


def usage() -> list[CodeUsage]:
    return ops.code_usage()


CODE_TINTS = {
    "active": "#dcf3e2",
    "scheduled": "#e0e9fd",
    "used up": "#fdf3c4",
    "expired": "#eceef2",
    "inactive": "#eceef2",
}


def value_text(kind: str, value: int) -> str:
    if kind == DiscountKind.PERCENT:
        return f"{value}%"
    if kind == DiscountKind.FIXED:
        return money(value)
    return "Shipping waived"


def _window(row: CodeUsage) -> str:
    def day(moment: datetime | None) -> str:
        return moment.strftime("%b %d, %Y") if moment else "…"

    if not (row.starts_at or row.ends_at):
        return "Always"
    return f"{day(row.starts_at)} – {day(row.ends_at)}"


def columns() -> dict[str, Any]:
    """Built per run: the money columns' format follows the shop's currency setting."""
    return {
        "Status": st.column_config.MultiselectColumn(
            "Status", options=list(CODE_TINTS), color=list(CODE_TINTS.values()), format_func=label
        ),
        "Redeemed": st.column_config.NumberColumn(help="Uses by paid orders", format="%d"),
        "Held": st.column_config.NumberColumn(
            help="Uses held by unpaid orders: released if cancelled, redeemed when paid",
            format="%d",
        ),
        "Discount given": money_column(
            "Discount given", help="Amount off, or the shipping waived for free-shipping codes"
        ),
        "Revenue": money_column("Revenue", help="Totals of the paid orders using it"),
        "Valid": st.column_config.TextColumn(help="Start – end (UTC)"),
    }


def table(rows: list[CodeUsage]) -> CodeUsage | None:
    """Every code with its usage; returns the row the operator selected."""
    shown = pd.DataFrame(
        {
            "Code": [r.code for r in rows],
            "Kind": [KINDS.get(r.kind, r.kind) for r in rows],
            "Value": [value_text(r.kind, r.value) for r in rows],
            "Status": [[r.status_label] for r in rows],
            "Redeemed": pd.array([r.redemptions for r in rows], dtype="int64"),
            "Held": pd.array([r.reserved for r in rows], dtype="int64"),
            "Limit": [f"{r.max_redemptions:,}" if r.max_redemptions else "No limit" for r in rows],
            "Discount given": [dollars(r.discount_given_cents) for r in rows],
            "Revenue": [dollars(r.revenue_cents) for r in rows],
            "Valid": [_window(r) for r in rows],
        }
    )
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=columns(),
        on_select="rerun",
        selection_mode="single-row",
        key=TABLE_KEY,
    )
    chosen = event.selection.rows if event is not None else []
    return rows[chosen[0]] if chosen and chosen[0] < len(rows) else None


def _utc(moment: datetime | None) -> datetime | None:
    """The form's date and time are UTC wall-clock time."""
    return moment.replace(tzinfo=UTC) if moment else None


def _wall(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def _value(kind: str, typed: str) -> int:
    text = typed.strip()
    if kind == DiscountKind.FIXED:
        return dollars_to_cents(text, field="value")
    if kind == DiscountKind.PERCENT:
        if not text.isdigit():
            raise ValidationFailed("Enter a whole percentage, 1 to 100.", field="value")
        return int(text)
    return 0


Submitted = tuple[DiscountInput | None, Slots]


def code_form(key: str, start: DiscountInput | None) -> Submitted | None:
    """Draw the form; once submitted, the service's input (None if a field could not be read,
    its error already shown) and the error slots."""
    kind = (
        st.segmented_control(
            "Kind",
            list(KINDS),
            format_func=KINDS.__getitem__,
            default=start.kind if start else DiscountKind.PERCENT.value,
            required=True,
            key=f"{key}_kind",
        )
        or DiscountKind.PERCENT.value
    )
    slots = Slots()
    slots.under("kind")
    with st.form(key, border=False):
        left, right = st.columns(2)
        with left:
            code = st.text_input(
                "Code",
                start.code if start else "",
                help="3–40 letters, digits, - or _; stored in capitals.",
                key=f"{key}_code",
            )
            slots.under("code")
            typed_value = _value_input(key, kind, start)
            slots.under("value")
            minimum = st.text_input(
                f"Minimum subtotal ({currency_symbol()})",
                cents_to_text(start.min_subtotal_cents) if start else "0.00",
                key=f"{key}_min",
            )
            slots.under("min_subtotal_cents")
            description = st.text_input(
                "Description", start.description if start else "", key=f"{key}_desc"
            )
            slots.under("description")
        with right:
            starts = st.datetime_input(
                "Starts (UTC)",
                _wall(start.starts_at) if start else None,
                step=60,
                key=f"{key}_starts",
            )
            slots.under("starts_at")
            ends = st.datetime_input(
                "Ends (UTC)", _wall(start.ends_at) if start else None, step=60, key=f"{key}_ends"
            )
            slots.under("ends_at")
            limit = st.number_input(
                "Maximum redemptions",
                min_value=0,
                value=start.max_redemptions if start else None,
                step=1,
                placeholder="Unlimited",
                key=f"{key}_max",
            )
            slots.under("max_redemptions")
            once = st.checkbox(
                "Once per customer", start.once_per_customer if start else False, key=f"{key}_once"
            )
            active = st.checkbox("Active", start.active if start else True, key=f"{key}_active")
        submitted = st.form_submit_button(
            "Save changes" if start else "Create code", type="primary", icon=":material/save:"
        )
    if not submitted:
        return None
    try:
        value = _value(kind, typed_value)
        min_cents = dollars_to_cents(minimum or "0", field="min_subtotal_cents", allow_zero=True)
        # DiscountInput checks every field as it is built (the rules are DiscountCodeBase's).
        data = DiscountInput(
            code=code,
            kind=DiscountKind(kind),
            value=value,
            description=description,
            min_subtotal_cents=min_cents,
            starts_at=_utc(starts),
            ends_at=_utc(ends),
            max_redemptions=None if limit is None else int(limit),
            once_per_customer=once,
            active=active,
        )
    except ShoporaError as exc:
        slots.show(exc)
        return None, slots
    return data, slots


def _value_input(key: str, kind: str, start: DiscountInput | None) -> str:
    same_kind = start is not None and start.kind == kind
    if kind == DiscountKind.PERCENT:
        shown = str(start.value) if same_kind and start else ""
        return st.text_input("Percent off (1–100)", shown, placeholder="10", key=f"{key}_pct")
    if kind == DiscountKind.FIXED:
        shown = cents_to_text(start.value) if same_kind and start else ""
        return st.text_input(
            f"Amount off ({currency_symbol()})", shown, placeholder="15.00", key=f"{key}_amount"
        )
    st.caption("Free shipping: the order's shipping is waived; no value to set.")
    return ""


def create(key: str = "new_code") -> DiscountCode | None:
    submitted = code_form(key, None)
    if submitted is None or submitted[0] is None:
        return None
    data, slots = submitted[0], submitted[1]
    return attempt(lambda: ops.create_code(data), slots)


def edit(code: DiscountCode) -> DiscountCode | None:
    submitted = code_form(f"edit_code_{code.id}", DiscountInput.of(code))
    if submitted is None or submitted[0] is None:
        return None
    data, slots = submitted[0], submitted[1]
    return attempt(lambda: ops.update_code(code.id or 0, data), slots)


def load(code_id: int) -> DiscountCode | None:
    return attempt(lambda: ops.discount_code(code_id))
