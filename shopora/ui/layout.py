"""Page chrome shared by every page: config, the Stripe-mode banner, the sidebar."""

from __future__ import annotations

import streamlit as st

from shopora.config import get_settings
from shopora.ui import nav
from shopora.ui.components import links
from shopora.ui.state import StateKeys

SIGN_OUT = {"signout": "1"}


def page_setup(title: str, icon: str = ":material/storefront:") -> None:
    """Call first on every page (a page may run without Home.py, so the sidebar is here)."""
    st.set_page_config(page_title=f"{title} · Shopora", page_icon=icon, layout="wide")
    flash = st.session_state.pop(StateKeys.FLASH, None)
    if flash:
        st.toast(flash, icon=":material/check_circle:")
    sidebar()


def sidebar() -> None:
    from shopora.ui.auth import current_user

    user = current_user()
    with st.sidebar:
        st.markdown("### :material/storefront: Shopora")
        if user:
            st.caption(f"Signed in as **{user.name}** · {user.role}")
            links.link(nav.ACCOUNT, "Sign out", icon=":material/logout:", query_params=SIGN_OUT)
        else:
            st.caption("Browsing as a guest")
            links.link(nav.SIGN_IN, "Sign in", icon=":material/login:")
        stripe_mode_note()


def stripe_mode_note() -> None:
    """Say plainly which Stripe this shop talks to."""
    settings = get_settings()
    if settings.stripe_mode == "emulator":
        st.caption(
            ":material/science: **Offline demo** — payments go to the built-in Stripe emulator. "
            "No real money moves."
        )
    else:
        st.caption(":material/credit_card: **Stripe test mode** — no real money moves.")


def demo_logins() -> None:
    if not get_settings().demo_mode:
        return
    with st.expander("Demo logins", icon=":material/key:"):
        st.markdown(
            "| role | username | password |\n|---|---|---|\n"
            "| Customer | `customer` | `customer123` |\n"
            "| Operator | `operator` | `operator123` |\n"
            "| Analyst | `analyst` | `analyst123` |"
        )
