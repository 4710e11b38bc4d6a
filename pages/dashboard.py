"""Dashboard (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Dashboard", ":material/dashboard:")
user = require_role(Role.OPERATOR, Role.ANALYST)
st.title("Dashboard")
st.info("This page is being built.")
