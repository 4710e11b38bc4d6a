"""The Stripe test card a reviewer needs to pay, and which Stripe the shop talks to."""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings

TEST_CARD = "4000 0566 5566 5556"
OTHER_CARDS = (
    ("Visa", "4242 4242 4242 4242", "succeeds"),
    ("Mastercard", "5555 5555 5555 4444", "succeeds"),
    ("Generic decline", "4000 0000 0000 0002", "declined (card_declined)"),
    ("Insufficient funds", "4000 0000 0000 9995", "declined (insufficient_funds)"),
    ("Expired card", "4000 0000 0000 0069", "declined (expired_card)"),
    ("Incorrect CVC", "4000 0000 0000 0127", "declined (incorrect_cvc)"),
)


def emulator_banner() -> None:
    if get_settings().stripe_mode == "emulator":
        st.info(
            "**Offline demo:** the Stripe emulator opens instead of stripe.com — no real money.",
            icon=":material/science:",
        )


def show() -> None:
    """The debit test card with a copy button, how to fill the rest, and the other cards."""
    st.markdown("**Pay with Stripe's test card** (Visa debit):")
    st.code(TEST_CARD, language=None)
    st.caption("Any future expiry (e.g. 12/34), any 3-digit CVC, any postal code.")
    with st.expander("Other test cards", icon=":material/credit_card:"):
        rows = "\n".join(
            f"| {name} | `{number}` | {result} |" for name, number, result in OTHER_CARDS
        )
        st.markdown(f"| card | number | result |\n|---|---|---|\n{rows}")
