"""Discount codes: how each code is used, create and edit codes under every rule the shop
enforces, switch codes off and on."""

import streamlit as st

from shopora.models import DiscountCode, Role
from shopora.ui.auth import require_role
from shopora.ui.facade import ops
from shopora.ui.layout import page_setup
from shopora.ui.ops import discount_form
from shopora.ui.ops.dialogs import show_notices, toast_after_rerun
from shopora.ui.ops.fields import succeeded
from shopora.ui.ops.style import console_style
from shopora.ui.ops.tables import download, raw_frame

page_setup("Discount codes", ":material/sell:")
console_style()
user = require_role(Role.OPERATOR)

st.title("Discount codes")
show_notices()
rows = discount_form.usage()
selected = discount_form.table(rows)
download(raw_frame(rows), key="discounts", file_name="shopora-discount-codes.csv")

with st.expander("New code", icon=":material/add:"):
    created = discount_form.create()
    if created is not None:
        st.session_state.pop(discount_form.TABLE_KEY, None)  # rows moved: positions are stale
        toast_after_rerun(f"Created {created.code}.")


def switch(code: DiscountCode) -> None:
    """Deactivate or activate, right away (reversible, so no confirmation)."""
    code_id = code.id or 0
    if code.active:
        if st.button("Deactivate", icon=":material/block:", key="code_deactivate") and succeeded(
            lambda: ops.set_code_active(code_id, False)
        ):
            toast_after_rerun(f"{code.code} is deactivated: it no longer applies to new orders.")
    elif st.button("Activate", icon=":material/check_circle:", key="code_activate") and succeeded(
        lambda: ops.set_code_active(code_id, True)
    ):
        toast_after_rerun(f"{code.code} is active again.")


if selected is None:
    st.caption("Select a code in the table to edit it or switch it off.")
else:
    code = discount_form.load(selected.code_id)
    if code is not None:
        head, action = st.columns([4, 1], vertical_alignment="bottom")
        head.subheader(f"Edit {code.code}")
        with action:
            switch(code)
        saved = discount_form.edit(code)
        if saved is not None:
            toast_after_rerun(f"Saved {saved.code}.")
