"""Shop (being built)."""

import streamlit as st

from shopora.ui.layout import page_setup

page_setup("Shop", ":material/storefront:")
st.title("Shop")
st.info("This page is being built.")
