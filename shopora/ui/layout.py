"""Page chrome shared by every page: config, the Stripe-mode banner, the sidebar."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from shopora.config import get_settings
from shopora.ui.state import StateKeys


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
            _account_link("Sign out", ":material/logout:", {"signout": "1"})
        else:
            st.caption("Browsing as a guest")
            _account_link("Sign in", ":material/login:", None)
        stripe_mode_note()


def _account_link(label: str, icon: str, query: dict[str, str] | None) -> None:
    # Outside st.navigation (a page run on its own, as AppTest does) Streamlit cannot
    # resolve the page path: a plain link then.
    try:
        st.page_link("pages/account.py", label=label, icon=icon, query_params=query)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}](account{'?signout=1' if query else ''})")


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
