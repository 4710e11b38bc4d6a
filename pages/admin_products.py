"""Products & stock (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Products & stock", ":material/inventory_2:")
user = require_role(Role.OPERATOR)
st.title("Products & stock")
st.info("This page is being built.")
