"""An order's story for its customer: one friendly sentence per event, oldest first.

Internal entries (operator notes, attention flags, payment checks that failed because
someone else tried this order's session) stay on the operator's side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from shopora.models import EventKind, OrderEvent
from shopora.ui.components.clock import when
from shopora.ui.format import money

VIA = {
    "return_page": "when you came back from Stripe",
    "webhook": "by Stripe's notification",
    "reconciliation": "by our payment check",
    "api": "through the API",
}
ICONS = {
    EventKind.PLACED: ":material/receipt_long:",
    EventKind.PAYMENT_STARTED: ":material/credit_card:",
    EventKind.PAID: ":material/verified:",
    EventKind.PAYMENT_FAILED: ":material/credit_card_off:",
    EventKind.PROCESSING: ":material/inventory_2:",
    EventKind.SHIPPED: ":material/local_shipping:",
    EventKind.DELIVERED: ":material/home:",
    EventKind.CANCELLED: ":material/cancel:",
    EventKind.REFUNDED: ":material/currency_exchange:",
}


@dataclass(frozen=True)
class Step:
    icon: str
    title: str
    detail: str
    at: str


def _sentence(event: OrderEvent, currency: str) -> tuple[str, str] | None:
    kind, data = event.kind, event.data or {}
    if kind == EventKind.PLACED:
        total = data.get("total")
        return "Order placed", f"Total {money(total, currency)}" if total is not None else ""
    if kind == EventKind.PAYMENT_STARTED:
        again = int(data.get("attempt") or 1) > 1
        title = "A new Stripe payment page was opened" if again else "Payment started on Stripe"
        return title, ""
    if kind == EventKind.PAID:
        amount = money(data.get("amount"), str(data.get("currency") or currency))
        return f"Paid {amount} — verified with Stripe", VIA.get(str(data.get("via")), "")
    if kind == EventKind.PAYMENT_FAILED:
        return "A payment attempt failed", "Nothing was charged."
    if kind == EventKind.PROCESSING:
        return "We started preparing your order", ""
    if kind == EventKind.SHIPPED:
        carrier, tracking = data.get("carrier"), data.get("tracking_number")
        return f"Shipped with {carrier}", f"Tracking number **{tracking}**" if tracking else ""
    if kind == EventKind.DELIVERED:
        return "Delivered", ""
    if kind == EventKind.CANCELLED:
        return "Order cancelled", event.note
    if kind == EventKind.REFUNDED:
        return f"Refunded {money(data.get('amount'), currency)}", event.note
    return None


def steps(events: Sequence[OrderEvent], currency: str) -> list[Step]:
    found = []
    for event in events:
        sentence = _sentence(event, currency)
        if sentence is not None:
            title, detail = sentence
            found.append(Step(ICONS[EventKind(event.kind)], title, detail, when(event.created_at)))
    return found


def show(events: Sequence[OrderEvent], *, currency: str) -> None:
    for step in steps(events, currency):
        detail = f"  \n{step.detail}" if step.detail else ""
        st.markdown(f"{step.icon} **{step.title}**  \n:gray[{step.at}]{detail}")
