"""An order's payment history in the console: every Checkout Session it opened (a decline,
a resumed payment, an expiry) and every webhook delivery about it, ignored ones included."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from shopora.services.admin_orders import OrderDetail
from shopora.ui.ops.tables import dollars, money_column

OUTCOMES = {
    "paid": "Paid",
    "open": "Open",
    "expired": "Expired",
    "failed": "Failed",
    "superseded": "Superseded",
    "cancelled": "Cancelled",
}


def attempts(detail: OrderDetail) -> None:
    rows = detail.attempts
    with st.expander(f"Payment attempts ({len(rows)})", icon=":material/receipt_long:"):
        if not rows:
            st.caption("No Checkout Session was opened for this order.")
            return
        table = pd.DataFrame(
            {
                "Attempt": [row.attempt for row in rows],
                "Outcome": [OUTCOMES.get(row.outcome, row.outcome) for row in rows],
                "Amount": [dollars(row.amount_cents) for row in rows],
                "Opened": [row.created_at for row in rows],
                "Expires": [row.expires_at for row in rows],
                "Declines": [row.declines for row in rows],
                "Verified via": [row.verified_via or "" for row in rows],
                "Session": [row.stripe_session_id for row in rows],
                "Payment intent": [row.payment_intent_id or "" for row in rows],
                "Notes": [row.note for row in rows],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="payment_attempts_table",
            column_config={
                "Attempt": st.column_config.NumberColumn(format="%d", width="small"),
                "Outcome": st.column_config.TextColumn(
                    help="Open, Paid, Expired, Failed, Superseded (a newer session replaced "
                    "it) or Cancelled (the order was)"
                ),
                "Declines": st.column_config.NumberColumn(
                    help="Cards declined on this session (it stays open for another card)",
                    format="%d",
                ),
                "Amount": money_column("Amount"),
                "Opened": st.column_config.DatetimeColumn(format="MMM D, HH:mm"),
                "Expires": st.column_config.DatetimeColumn(format="MMM D, HH:mm"),
            },
        )


def webhook_log(detail: OrderDetail) -> None:
    rows = detail.webhooks
    with st.expander(f"Webhook log ({len(rows)})", icon=":material/webhook:"):
        if not rows:
            st.caption("No Stripe webhook has named this order yet.")
            return
        table = pd.DataFrame(
            {
                "Received": [row.received_at for row in rows],
                "Event": [row.type for row in rows],
                "Result": [row.disposition for row in rows],
                "What Shopora did": [row.outcome for row in rows],
                "Event id": [row.event_id for row in rows],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="webhook_log_table",
            column_config={"Received": st.column_config.DatetimeColumn(format="MMM D, HH:mm:ss")},
        )
