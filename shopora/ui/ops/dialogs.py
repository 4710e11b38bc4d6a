"""Confirmation dialogs that stay open across reruns, and notices shown after an action.

A dialog opened by a button would close on the next full rerun (and AppTest reruns the whole
page), so which dialog is open lives in session state until it is confirmed or dismissed.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from shopora.ui.state import StateKeys

Kind = Literal["success", "info", "warning", "error"]
DIALOG_WIDGET_PREFIX = "dlg_"


def open_dialog(name: str) -> None:
    st.session_state[StateKeys.OPS_DIALOG] = name


def dialog_is_open(name: str) -> bool:
    return st.session_state.get(StateKeys.OPS_DIALOG) == name


def close_dialog() -> None:
    """Close the dialog and forget what was typed in it (widget keys start with "dlg_")."""
    st.session_state.pop(StateKeys.OPS_DIALOG, None)
    for key in [k for k in st.session_state if str(k).startswith(DIALOG_WIDGET_PREFIX)]:
        del st.session_state[key]


def notify(kind: Kind, message: str) -> None:
    """Remember a message for the next run (the action reruns the page to show its result)."""
    notices: list[tuple[Kind, str]] = st.session_state.setdefault(StateKeys.OPS_NOTICES, [])
    notices.append((kind, message))


def show_notices() -> None:
    for kind, message in st.session_state.pop(StateKeys.OPS_NOTICES, []):
        getattr(st, kind)(message)


def done(message: str) -> None:
    """An action succeeded: say so after the rerun, close the dialog, rerun the page."""
    notify("success", message)
    close_dialog()
    st.rerun()


def toast_after_rerun(message: str) -> None:
    """Confirm an action with a toast (where the operator is looking, not at the page's top);
    the page reruns to show the new state, and the toast is raised by that run."""
    st.session_state[StateKeys.FLASH] = message
    close_dialog()
    st.rerun()
