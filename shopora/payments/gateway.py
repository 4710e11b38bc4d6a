"""The Stripe gateway: with `stripe_objects` and `signatures`, the only modules that import
`stripe`.

Everything it returns is a plain frozen dataclass (from `stripe_objects`), so the rest of
Shopora never sees a Stripe object, and every Stripe error leaves it as a domain error.
Webhook signatures are verified in `signatures`; the moved names are re-exported here so
existing imports from this module keep working.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

import stripe
from stripe.params import CouponCreateParams, RefundCreateParams, RefundListParams
from stripe.params.checkout import (
    SessionCreateParams,
    SessionCreateParamsLineItem,
    SessionCreateParamsShippingOption,
)

from shopora.config import get_settings
from shopora.errors import NotFound, PaymentError, RefundRefused, ShoporaError
from shopora.models import Order, OrderItem, ShippingMethod
from shopora.payments import stripe_ids
from shopora.payments.signatures import WEBHOOK_TOLERANCE_SECONDS as WEBHOOK_TOLERANCE_SECONDS
from shopora.payments.signatures import verify_webhook as verify_webhook
from shopora.payments.stripe_objects import CheckoutSessionInfo as CheckoutSessionInfo
from shopora.payments.stripe_objects import PaymentIntentInfo as PaymentIntentInfo
from shopora.payments.stripe_objects import RefundInfo as RefundInfo
from shopora.payments.stripe_objects import intent_info, refund_info, session_info

# Stripe accepts expires_at 30 min to 24 h after creation, by *its* clock; a minute of slack
# keeps a request that crosses a second boundary (or a slightly fast Stripe clock) valid.
MIN_LIFETIME_SECONDS = 30 * 60
MAX_LIFETIME_SECONDS = 24 * 60 * 60
LIFETIME_SLACK_SECONDS = 60
_SECRET = re.compile(r"\b(sk|rk|whsec)_[A-Za-z0-9_]+")

RefundReason = Literal["duplicate", "fraudulent", "requested_by_customer"]


def _clean(message: str | None) -> str:
    """Stripe's message without anything that looks like a key or secret."""
    return _SECRET.sub("[redacted]", (message or "no details").strip())


@contextmanager
def _stripe_errors(what: str, *, missing: str, refused: type[ShoporaError]) -> Iterator[None]:
    try:
        yield
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            raise NotFound(missing) from None
        raise refused(f"Stripe refused to {what}: {_clean(exc.user_message)}") from None
    except stripe.AuthenticationError:
        raise PaymentError(
            "Stripe rejected Shopora's API key; check STRIPE_SECRET_KEY (or unset it to use "
            "the local emulator)."
        ) from None
    except stripe.APIConnectionError:
        raise PaymentError(f"Could not reach Stripe to {what}; try again in a moment.") from None
    except stripe.StripeError as exc:
        raise PaymentError(
            f"Stripe could not {what} ({type(exc).__name__}: {_clean(exc.user_message)})."
        ) from None


def shipping_label(order: Order) -> str:
    if order.shipping_cents == 0:
        return "Free shipping"
    express = order.shipping_method == ShippingMethod.EXPRESS
    return "Express shipping" if express else "Standard shipping"


def session_lifetime_seconds(minutes: int) -> int:
    wanted = minutes * 60 + LIFETIME_SLACK_SECONDS
    low = MIN_LIFETIME_SECONDS + LIFETIME_SLACK_SECONDS
    return max(low, min(wanted, MAX_LIFETIME_SECONDS - LIFETIME_SLACK_SECONDS))


class StripeGateway:
    """Shopora's view of Stripe. `clock` is Stripe's time as far as we know (tests share
    the emulator's fake clock with it)."""

    def __init__(
        self, client: stripe.StripeClient, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._client = client
        self._clock = clock

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def planned_expiry(self) -> datetime:
        """When a session created now should expire (settings.checkout_session_minutes)."""
        seconds = session_lifetime_seconds(get_settings().checkout_session_minutes)
        return datetime.fromtimestamp(int(self._clock()) + seconds, UTC)

    # Checkout Sessions

    def create_checkout_session(
        self,
        order: Order,
        items: Sequence[OrderItem],
        *,
        attempt: int,
        namespace: str,
        expires_at: datetime | None = None,
    ) -> CheckoutSessionInfo:
        """A hosted Checkout Session for a pending order. The idempotency keys derive from
        this install (`namespace`), the order and the attempt, so a retried (or concurrent)
        request for the same attempt, with the same parameters, gets the same session back,
        and no other install or earlier database ever does."""
        key = f"shopora-{namespace}-order-{order.id}-attempt-{attempt}"
        params = self._session_params(order, items, expires_at or self.planned_expiry())
        if order.discount_cents > 0:
            params["discounts"] = [{"coupon": self._coupon(order, f"{key}-coupon")}]
        with _stripe_errors(
            "open a checkout session",
            missing="A Stripe object it needs is gone.",
            refused=PaymentError,
        ):
            created = self._client.v1.checkout.sessions.create(
                params, options={"idempotency_key": f"{key}-session"}
            )
        return session_info(created)

    def _session_params(
        self, order: Order, items: Sequence[OrderItem], expires_at: datetime
    ) -> SessionCreateParams:
        base = get_settings().app_base_url.rstrip("/")
        line_items: list[SessionCreateParamsLineItem] = [
            {
                "price_data": {
                    "currency": order.currency,
                    "unit_amount": item.unit_price_cents,
                    "product_data": {"name": item.name, "description": item.sku},
                },
                "quantity": item.quantity,
            }
            for item in items
        ]
        shipping: SessionCreateParamsShippingOption = {
            "shipping_rate_data": {
                "type": "fixed_amount",
                "fixed_amount": {"amount": order.shipping_cents, "currency": order.currency},
                "display_name": shipping_label(order),
            }
        }
        return {
            "mode": "payment",
            "line_items": line_items,
            "shipping_options": [shipping],
            "customer_email": order.email,
            "client_reference_id": str(order.id),
            "metadata": {"order_id": str(order.id), "order_number": order.number},
            # So a declined attempt (payment_intent.payment_failed) names its order too.
            "payment_intent_data": {
                "metadata": {"order_id": str(order.id), "order_number": order.number}
            },
            "expires_at": int(expires_at.timestamp()),
            # The literal placeholder: Stripe substitutes it, so it must not be encoded.
            "success_url": f"{base}/payment_return?session_id={{CHECKOUT_SESSION_ID}}",
            "cancel_url": f"{base}/payment_return?cancelled=1&order_id={order.id}",
        }

    def _coupon(self, order: Order, idempotency_key: str) -> str:
        params: CouponCreateParams = {
            "amount_off": order.discount_cents,
            "currency": order.currency,
            "duration": "once",
            "name": (order.discount_code or "Discount")[:40],
        }
        with _stripe_errors(
            "create the discount coupon", missing="Stripe lost the coupon.", refused=PaymentError
        ):
            coupon = self._client.v1.coupons.create(
                params, options={"idempotency_key": idempotency_key}
            )
        return coupon.id

    def retrieve_session(self, session_id: str) -> CheckoutSessionInfo:
        _check_session_id(session_id)
        with _stripe_errors(
            "read the payment session",
            missing="That payment session does not exist.",
            refused=NotFound,
        ):
            found = self._client.v1.checkout.sessions.retrieve(session_id)
        return session_info(found)

    def expire_session(self, session_id: str) -> CheckoutSessionInfo:
        """Expire an open session so it can no longer be paid. A session that is no longer
        open (paid a moment ago, or already expired) is returned as it is: check `status`."""
        _check_session_id(session_id)
        try:
            with _stripe_errors(
                "expire the payment session",
                missing="That payment session does not exist.",
                refused=_NotOpen,
            ):
                expired = self._client.v1.checkout.sessions.expire(session_id)
        except _NotOpen:
            return self.retrieve_session(session_id)
        return session_info(expired)

    def retrieve_payment_intent(self, intent_id: str) -> PaymentIntentInfo:
        if not stripe_ids.is_payment_intent_id(intent_id):
            raise NotFound("That payment does not exist.")
        with _stripe_errors(
            "read the payment", missing="That payment does not exist.", refused=NotFound
        ):
            found = self._client.v1.payment_intents.retrieve(intent_id)
        return intent_info(found)

    # Refunds

    def refund(
        self,
        payment_intent_id: str,
        amount_cents: int,
        *,
        reason: RefundReason,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> RefundInfo:
        params: RefundCreateParams = {
            "payment_intent": payment_intent_id,
            "amount": amount_cents,
            "reason": reason,
            "metadata": dict(metadata),
        }
        with _stripe_errors(
            "refund the payment", missing="Stripe has no such payment.", refused=RefundRefused
        ):
            refund = self._client.v1.refunds.create(
                params, options={"idempotency_key": idempotency_key}
            )
        return refund_info(refund)

    def list_refunds(self, payment_intent_id: str) -> list[RefundInfo]:
        """Every refund of a payment, whoever made it (Shopora or the Stripe dashboard)."""
        params: RefundListParams = {"payment_intent": payment_intent_id, "limit": 100}
        with _stripe_errors(
            "list the refunds", missing="Stripe has no such payment.", refused=PaymentError
        ):
            page = self._client.v1.refunds.list(params)
            return [refund_info(refund) for refund in page.auto_paging_iter()]


def _check_session_id(session_id: str) -> None:
    """An id that cannot be a session never reaches Stripe's URL path (a '/../' in it would
    address another resource)."""
    if not stripe_ids.is_session_id(session_id):
        raise NotFound("That payment session does not exist.")


class _NotOpen(ShoporaError):
    """Internal: Stripe refused to expire a session that is not open."""


def build_gateway(
    api_key: str, api_base: str | None, *, clock: Callable[[], float] = time.time
) -> StripeGateway:
    """A gateway for an explicit key and API address (tests, tools)."""
    client = stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=2,
    )
    return StripeGateway(client, clock=clock)


@lru_cache
def get_gateway() -> StripeGateway:
    """The gateway the settings describe: real Stripe test mode, or the local emulator."""
    settings = get_settings()
    return build_gateway(settings.stripe_api_key(), settings.stripe_api_address)
