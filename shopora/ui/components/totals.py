"""Subtotal, discount, shipping and total, as the server computed them."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from shopora.models import Order, OrderItem, ShippingMethod
from shopora.services.cart import CartView
from shopora.services.pricing import Totals, shipping_cost
from shopora.services.shipping import shipping_rates
from shopora.ui.format import label, money


def _row(name: str, value: str, *, strong: bool = False) -> None:
    with st.container(horizontal=True, horizontal_alignment="distribute", gap="small"):
        st.markdown(f"**{name}**" if strong else name, width="content")
        st.markdown(f"**{value}**" if strong else value, width="content")


def waived_shipping(totals: Totals, method: str | None, *, code: str | None) -> int:
    """What shipping would have cost without the code, when a code made it free (FREESHIP);
    0 otherwise, including when the order earned free shipping by itself."""
    if not code or method is None or totals.shipping_cents or totals.discount_cents:
        return 0
    after_discount = totals.subtotal_cents - totals.discount_cents
    return shipping_cost(
        ShippingMethod(method), shipping_rates(), after_discount_cents=after_discount, free=False
    )


def show(
    totals: Totals,
    *,
    currency: str,
    code: str | None = None,
    method: str | None = None,
) -> None:
    _row("Subtotal", money(totals.subtotal_cents, currency))
    waived = waived_shipping(totals, method, code=code)
    if totals.discount_cents:
        _row(f"Discount ({code})" if code else "Discount", money(-totals.discount_cents, currency))
    shipping = "Free" if totals.shipping_cents == 0 else money(totals.shipping_cents, currency)
    if waived:
        shipping = f"~~{money(waived, currency)}~~ Free"
    _row(f"Shipping ({label(method)})" if method else "Shipping", shipping)
    if waived:
        st.caption(f"{code} saved {money(waived, currency)}: the shipping fee is waived.")
    st.divider()
    _row("Total", money(totals.total_cents, currency), strong=True)


def of_order(order: Order) -> Totals:
    """An order's stored amounts (computed by the server when it was placed)."""
    return Totals(
        subtotal_cents=order.subtotal_cents,
        discount_cents=order.discount_cents,
        shipping_cents=order.shipping_cents,
        total_cents=order.total_cents,
    )


def show_order(order: Order) -> None:
    show(
        of_order(order),
        currency=order.currency,
        code=order.discount_code,
        method=order.shipping_method,
    )


def lines(cart: CartView, *, currency: str) -> None:
    """The cart's lines in a compact list (name × quantity, line total)."""
    for line in cart.lines:
        _row(f"{line.name} × {line.quantity}", money(line.line_total_cents, currency))


def order_lines(items: Sequence[OrderItem], *, currency: str) -> None:
    """An order's items in the same compact list."""
    for item in items:
        _row(f"{item.name} × {item.quantity}", money(item.line_total_cents, currency))
