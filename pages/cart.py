"""Cart (being built)."""

import streamlit as st

from shopora.ui.layout import page_setup

page_setup("Cart", ":material/shopping_cart:")
st.title("Cart")
st.info("This page is being built.")
