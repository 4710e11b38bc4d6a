"""An order's status and payment status as coloured badges and one plain sentence."""

from __future__ import annotations

from shopora.models import Order, OrderStatus, PaymentStatus
from shopora.ui.format import STATUS_COLORS, label

PAYMENT_LABELS = {
    PaymentStatus.UNPAID: "Unpaid",
    PaymentStatus.PAID: "Payment received",
    PaymentStatus.PARTIALLY_REFUNDED: "Partly refunded",
    PaymentStatus.REFUNDED: "Refunded",
}
SENTENCES = {
    OrderStatus.PENDING: "Waiting for your payment.",
    OrderStatus.PAID: "Paid — we'll start preparing it soon.",
    OrderStatus.PROCESSING: "We're preparing your order.",
    OrderStatus.SHIPPED: "On its way.",
    OrderStatus.DELIVERED: "Delivered.",
    OrderStatus.CANCELLED: "Cancelled.",
}


def status_badge(order: Order) -> str:
    return f":{STATUS_COLORS.get(order.status, 'gray')}-badge[{label(order.status)}]"


def payment_badge(order: Order) -> str:
    status = PaymentStatus(order.payment_status)
    if status == PaymentStatus.UNPAID and order.status == OrderStatus.CANCELLED:
        return ":gray-badge[Not charged]"
    colour = "green" if status == PaymentStatus.PAID else STATUS_COLORS.get(status, "gray")
    return f":{colour}-badge[{PAYMENT_LABELS[status]}]"


def badges(order: Order) -> str:
    return f"{status_badge(order)} {payment_badge(order)}"


def sentence(order: Order) -> str:
    if order.status == OrderStatus.CANCELLED and order.payment_status == PaymentStatus.PAID:
        return "Cancelled after your payment arrived — the payment will be refunded."
    return SENTENCES[OrderStatus(order.status)]
