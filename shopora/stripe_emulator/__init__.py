"""A local, Stripe-compatible server for offline demos and tests.

Speaks the part of Stripe's HTTP API that Shopora uses (Checkout Sessions, coupons,
payment intents, charges, refunds, events), serves a hosted payment page that honours
Stripe's test cards, and delivers signed webhooks with retries. State lives in SQLite.
Imports nothing from the rest of Shopora.
"""

from .app import EmulatorConfig, create_app

__all__ = ["EmulatorConfig", "create_app"]
