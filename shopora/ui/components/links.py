"""Links and moves between pages that keep the visitor's session (an anonymous cart lives
in it, so a plain markdown link, which reloads the app, would lose it)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from shopora.ui.nav import PageSpec
from shopora.ui.state import StateKeys


def link(
    spec: PageSpec,
    label: str,
    *,
    icon: str | None = None,
    query_params: dict[str, str] | None = None,
) -> None:
    """st.page_link to `spec`; when this page runs outside st.navigation (AppTest, or the
    first request on a fresh server) Streamlit cannot resolve it, so a plain link instead."""
    try:
        st.page_link(spec.path, label=label, icon=icon or spec.icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        query = f"?{urlencode(query_params)}" if query_params else ""
        st.markdown(f"[{label}]({spec.url_path}{query})")


def go(spec: PageSpec, *, query_params: dict[str, str] | None = None) -> None:
    """Switch to `spec` in this session (st.switch_page); outside st.navigation, offer a link."""
    try:
        st.switch_page(spec.path, query_params=query_params)
    except StreamlitPageNotFoundError:
        link(spec, f"Continue to {spec.title}", query_params=query_params)


def arrived(url_path: str) -> None:
    """This page was where the visitor meant to go after signing in: that is done now."""
    if st.session_state.get(StateKeys.AFTER_SIGN_IN) == url_path:
        st.session_state.pop(StateKeys.AFTER_SIGN_IN)
