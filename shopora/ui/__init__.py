"""Streamlit helpers shared by the pages: auth, session-state keys, formatting, components."""
