"""Page chrome shared by every page: config, the Stripe-mode banner, the sidebar."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from shopora.config import get_settings
from shopora.ui import nav, theme
from shopora.ui.components import links
from shopora.ui.state import StateKeys

if TYPE_CHECKING:
    from shopora.ui.auth import SessionUser

SIGN_OUT = {"signout": "1"}


def page_setup(title: str, icon: str = ":material/storefront:") -> None:
    """Call first on every page (a page may run without Home.py, so the chrome is here):
    shoppers get the shop bar on top (cart and sign-in always in view, on a phone too),
    staff the sidebar with Streamlit's top navigation."""
    from shopora.ui.auth import current_user
    from shopora.ui.components import shop_bar

    st.set_page_config(page_title=f"{title} · Shopora", page_icon=icon, layout="wide")
    theme.apply()
    flash = st.session_state.pop(StateKeys.FLASH, None)
    if flash:
        st.toast(flash, icon=":material/check_circle:")
    user = current_user()
    if nav.is_shopper(user.role if user else None):
        shop_bar.show(user)
    sidebar(user)


def sidebar(user: SessionUser | None) -> None:
    with st.sidebar:
        st.markdown("### :material/storefront: Shopora")
        if user:
            st.caption(f"Signed in as **{user.name}** · {user.role}")
            links.link(nav.ACCOUNT, "Sign out", icon=":material/logout:", query_params=SIGN_OUT)
        else:
            # "Sign in" is in the shop bar: once is enough.
            st.caption("Browsing as a guest")
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
