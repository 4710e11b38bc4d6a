"""The orders table as data: numbers stay numbers (sorting by Total is numeric), dates stay
datetimes, the status reads as a coloured pill, and the order number is a link to the order.

The pills are light tints: the grid writes black on a light pill (white on a dark one), so
each pill reads at well over 4.5:1 (tests/ui/test_ops_contrast.py).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from shopora.services.admin_orders import OrderRow
from shopora.ui.format import label
from shopora.ui.ops.tables import dollars, money_column

ORDER_URL = "admin_orders?order="
ORDER_TINTS = {
    "pending": "#feead6",
    "paid": "#e0e9fd",
    "processing": "#ece5fc",
    "shipped": "#d9f2f7",
    "delivered": "#dcf3e2",
    "cancelled": "#eceef2",
}
PAYMENT_TINTS = {
    "unpaid": "#feead6",
    "paid": "#dcf3e2",
    "partially_refunded": "#fdf3c4",
    "refunded": "#eceef2",
}
FLAG = "Flagged"


def pills(tints: dict[str, str], title: str, width: int) -> Any:
    """A read-only column of coloured pills, one per state, labelled in words."""
    return st.column_config.MultiselectColumn(
        title, options=list(tints), color=list(tints.values()), format_func=label, width=width
    )


def order_url(number: str) -> str:
    return f"{ORDER_URL}{number}"


def frame(rows: list[OrderRow]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Order": [order_url(r.number) for r in rows],
            "Placed": pd.to_datetime([r.created_at for r in rows], utc=True),
            "Customer": [r.customer_name for r in rows],
            "Status": [[r.status] for r in rows],
            "Payment": [[r.payment_status] for r in rows],
            "Attention": [[FLAG] if r.needs_attention else [] for r in rows],
            "Items": pd.array([r.items for r in rows], dtype="int64"),
            "Total": [dollars(r.total_cents) for r in rows],
            "Refunded": [dollars(r.refunded_cents) for r in rows],
            "Email": [r.email for r in rows],
        }
    )


# Fixed widths: up to Refunded the columns fit the grid at 1366 px, at the same place on every
# page of the list (the browser test finds the Total header by them; the grid is a canvas).
WIDTHS = {"Order": 90, "Placed": 125, "Customer": 120, "Status": 100, "Payment": 125}
WIDTHS |= {"Attention": 85, "Items": 50, "Total": 90, "Refunded": 85}


def columns() -> dict[str, Any]:
    """Built per run: the money columns' format follows the shop's currency setting."""
    return {
        "Order": st.column_config.LinkColumn(
            "Order", display_text=r"order=(SO-\d+)$", help="Opens the order", width=WIDTHS["Order"]
        ),
        "Placed": st.column_config.DatetimeColumn(
            "Placed (UTC)", format="MMM D, YYYY HH:mm", width=WIDTHS["Placed"]
        ),
        "Customer": st.column_config.TextColumn("Customer", width=WIDTHS["Customer"]),
        "Status": pills(ORDER_TINTS, "Status", WIDTHS["Status"]),
        "Payment": pills(PAYMENT_TINTS, "Payment", WIDTHS["Payment"]),
        "Items": st.column_config.NumberColumn("Items", format="%d", width=WIDTHS["Items"]),
        "Total": money_column("Total", width=WIDTHS["Total"]),
        "Refunded": money_column("Refunded", width=WIDTHS["Refunded"]),
        "Attention": st.column_config.MultiselectColumn(
            "Attention",  # "Flagged" pills: flagged by a payment check or an operator
            options=[FLAG],
            color=["#fde2e2"],
            help="Flagged by a check or an operator",
            width=WIDTHS["Attention"],
        ),
    }


def number_of(url: str) -> str:
    """The order number back from a row's link."""
    return url.removeprefix(ORDER_URL)
