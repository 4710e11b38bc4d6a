"""Payments: the Stripe gateway (the only module importing `stripe`), checkout, fulfilment,
webhooks, reconciliation and refunds."""
