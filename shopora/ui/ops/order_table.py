"""The orders table as data: numbers stay numbers (sorting by Total is numeric), dates stay
datetimes, the status reads as a coloured pill, and the order number is a link to the order.

Emoji pills instead of coloured text keep the text itself at the theme's text colour, so the
badge reads at full contrast whatever the pill's colour.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from shopora.services.admin_orders import OrderRow
from shopora.ui.format import label
from shopora.ui.ops.tables import dollars, money_column

ORDER_URL = "admin_orders?order="
STATUS_PILLS = {
    "pending": "🟠",
    "paid": "🔵",
    "processing": "🟣",
    "shipped": "🚚",
    "delivered": "🟢",
    "cancelled": "⚪",
    "unpaid": "🟠",
    "partially_refunded": "↩️",
    "refunded": "↩️",
}
FLAG = "🚩"


def pill(status: str) -> str:
    """'🔵 Paid': a colour that marks the state and the state's name in plain text."""
    return f"{STATUS_PILLS.get(status, '⚫')} {label(status)}"


def order_url(number: str) -> str:
    return f"{ORDER_URL}{number}"


def frame(rows: list[OrderRow]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Order": [order_url(r.number) for r in rows],
            "Placed": pd.to_datetime([r.created_at for r in rows], utc=True),
            "Customer": [r.customer_name for r in rows],
            "Email": [r.email for r in rows],
            "Status": [pill(r.status) for r in rows],
            "Payment": [pill(r.payment_status) for r in rows],
            "Items": pd.array([r.items for r in rows], dtype="int64"),
            "Total": [dollars(r.total_cents) for r in rows],
            "Refunded": [dollars(r.refunded_cents) for r in rows],
            "Attention": [FLAG if r.needs_attention else "" for r in rows],
        }
    )


COLUMNS: dict[str, Any] = {
    "Order": st.column_config.LinkColumn(
        "Order", display_text=r"order=(SO-\d+)$", help="Opens the order", width="small"
    ),
    "Placed": st.column_config.DatetimeColumn("Placed (UTC)", format="MMM D, YYYY HH:mm"),
    "Items": st.column_config.NumberColumn("Items", format="%d", width="small"),
    "Total": money_column("Total"),
    "Refunded": money_column("Refunded"),
    "Attention": st.column_config.TextColumn(FLAG, help="Needs attention", width="small"),
}


def number_of(url: str) -> str:
    """The order number back from a row's link."""
    return url.removeprefix(ORDER_URL)
