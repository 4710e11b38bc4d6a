"""Widgets the customer pages share: product cards, cart access, totals, payment controls,
receipts and order timelines. Each renders with Streamlit and calls services; none holds
ORM objects in session state."""
