"""Shipping method and discount code: chosen in the cart, carried into checkout.

The widgets copy their value into StateKeys.CART_METHOD / CART_CODE in on_change callbacks,
which run before the page script, so the page can price the cart before drawing them.
"""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings
from shopora.models import ShippingMethod
from shopora.services.checkout import Quote
from shopora.services.shipping import shipping_rates
from shopora.ui.components import basket, totals
from shopora.ui.format import money
from shopora.ui.state import StateKeys


def method_label(method: ShippingMethod) -> str:
    rates, currency = shipping_rates(), get_settings().currency
    if method == ShippingMethod.EXPRESS:
        return f"Express · {money(rates.express_cents, currency)} · 1–2 business days"
    free = money(rates.free_standard_threshold_cents, currency)
    return (
        f"Standard · {money(rates.standard_cents, currency)} · 3–5 business days (free over {free})"
    )


def _keep(widget_key: str, state_key: str) -> None:
    value = st.session_state[widget_key]
    st.session_state[state_key] = value.strip() if isinstance(value, str) else value


def shipping_choice(*, key: str) -> None:
    """Radio of shipping methods, remembered across pages."""
    if key not in st.session_state:
        st.session_state[key] = basket.chosen_method()
    st.radio(
        "Shipping",
        options=list(ShippingMethod),
        format_func=method_label,
        key=key,
        on_change=_keep,
        args=(key, StateKeys.CART_METHOD),
    )


def discount_field(*, key: str) -> None:
    """Text input for a discount code and its Apply button, remembered across pages.
    Enter applies it too; the button is there because nobody should have to know that."""
    if key not in st.session_state:
        st.session_state[key] = basket.chosen_code()
    field, apply = st.columns([3, 1], vertical_alignment="bottom", gap="small")
    field.text_input(
        "Discount code",
        key=key,
        placeholder="e.g. WELCOME10",
        max_chars=40,
        on_change=_keep,
        args=(key, StateKeys.CART_CODE),
    )
    apply.button(
        "Apply",
        key=f"{key}_apply",
        width="stretch",
        on_click=_keep,
        args=(key, StateKeys.CART_CODE),
    )


def discount_feedback(quote: Quote) -> None:
    """Why the code does not apply, or what it takes off (free shipping: the fee waived)."""
    currency = get_settings().currency
    waived = totals.waived_shipping(quote.totals, quote.method, code=quote.discount_code)
    if quote.discount_error is not None:
        st.error(quote.discount_error.message, icon=":material/sell:")
    elif quote.discount_code and quote.totals.discount_cents:
        saved = money(quote.totals.discount_cents, currency)
        st.success(f"**{quote.discount_code}** applied: you save {saved}.", icon=":material/sell:")
    elif quote.discount_code and waived:
        saved = money(waived, currency)
        st.success(
            f"**{quote.discount_code}** applied: free shipping, you save {saved}.",
            icon=":material/local_shipping:",
        )
    elif quote.discount_code:
        st.success(f"**{quote.discount_code}** applied.", icon=":material/sell:")
