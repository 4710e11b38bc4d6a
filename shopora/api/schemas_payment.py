"""Stripe Checkout: opening a hosted session and confirming it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shopora.api.schemas_common import BodyId, UtcDatetime
from shopora.payments.checkout import CheckoutStart


class StartCheckout(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"order_id": 42}]}}

    order_id: BodyId


class CheckoutSessionPublic(BaseModel):
    """Send the customer to `url`; after paying, Stripe returns them with the session id."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "order_id": 42,
                    "number": "SO-10042",
                    "session_id": "cs_test_a1b2c3",
                    "url": "https://checkout.stripe.com/c/pay/cs_test_a1b2c3",
                    "expires_at": "2025-01-31T10:02:10Z",
                }
            ]
        }
    }

    order_id: int
    number: str
    session_id: str
    url: str
    expires_at: UtcDatetime

    @classmethod
    def of(cls, start: CheckoutStart) -> CheckoutSessionPublic:
        return cls.model_validate(start, from_attributes=True)


class ConfirmCheckout(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"session_id": "cs_test_a1b2c3"}]}}

    session_id: str = Field(
        min_length=4,
        max_length=255,
        pattern=r"^cs_[A-Za-z0-9_]+$",
        description="The Checkout Session id Stripe put in the success URL.",
    )
