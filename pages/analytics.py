"""Analytics (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Analytics", ":material/monitoring:")
user = require_role(Role.ANALYST, Role.OPERATOR)
st.title("Analytics")
st.info("This page is being built.")
