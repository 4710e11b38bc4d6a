"""Shopora: an e-commerce demo built around the Stripe Checkout payment lifecycle."""
