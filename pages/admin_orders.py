"""Orders (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Orders", ":material/list_alt:")
user = require_role(Role.OPERATOR)
st.title("Orders")
st.info("This page is being built.")
