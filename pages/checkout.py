"""Checkout (being built)."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup

page_setup("Checkout", ":material/payments:")
user = require_role(Role.CUSTOMER)
st.title("Checkout")
st.info("This page is being built.")
