"""Payment (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Payment", ":material/receipt:")
user = require_role(Role.CUSTOMER)
st.title("Payment")
st.info("This page is being built.")
