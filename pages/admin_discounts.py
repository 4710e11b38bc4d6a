"""Discount codes (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Discount codes", ":material/sell:")
user = require_role(Role.OPERATOR)
st.title("Discount codes")
st.info("This page is being built.")
