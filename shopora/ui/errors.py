"""No raw traceback ever reaches the screen: a friendly message, the detail to the log."""

from __future__ import annotations

import logging

import streamlit as st

from shopora.errors import ShoporaError

log = logging.getLogger("shopora.ui")


def on_script_error(exc: Exception) -> bool:
    log.exception("Unhandled error while rendering a page", exc_info=exc)
    st.error(
        "Something went wrong on our side. The problem has been logged; "
        "please reload the page or try again in a moment."
    )
    return True


def show(exc: ShoporaError) -> None:
    """A domain refusal, in words the person can act on."""
    st.error(exc.message, icon=":material/error:")
