"""The REST API: `create_api()` builds the FastAPI app the server mounts at `/api`."""

from __future__ import annotations

from fastapi import FastAPI

from shopora.api import errors
from shopora.api.limits import RequestGuard
from shopora.api.routes import (
    admin_discounts,
    admin_orders,
    admin_products,
    analytics,
    auth,
    cart,
    catalog,
    docs,
    health,
    orders,
    payment,
    webhooks,
)
from shopora.api.security import RateLimiter

VERSION = "1.0.0"

DESCRIPTION = """
Shopora's REST API: the catalog, the customer's cart and orders, Stripe Checkout, and the
operator's console. Money is always **integer cents** in the order's currency (`*_cents`),
with a formatted `*_display` string beside it where people read it.

## Authentication
`POST /auth/token` with a username (or email) and password returns a bearer token; send it as
`Authorization: Bearer <token>`. Customers see only their own cart and orders (someone else's
order is a 404). Operators run the `/admin` routes; analysts read orders, products, discount
codes and analytics.

## The payment contract: five states
1. **Cart**: `POST /cart/items`, then `POST /discounts/validate` for a quote.
2. **Pending order**: `POST /orders` saves address, shipping method and code and *holds the
   stock*. Send an `Idempotency-Key` header: a retry returns the same order (200, not 201).
3. **Stripe Checkout**: `POST /payment/stripe-checkout` opens a hosted Checkout Session for
   the order and returns its `url`; the customer pays there (test card 4000 0566 5566 5556, any
   future expiry and CVC).
4. **Return and verify**: `POST /payment/stripe-confirm` with the session id. The server
   retrieves the session from Stripe, checks it belongs to this customer's order, is complete
   and paid, and that amount and currency match; only then is the order marked **paid**, the
   stock decremented and the paid quantities removed from the cart. The Stripe webhook
   (`POST /webhooks/stripe`) runs the same idempotent fulfilment, so either may come first.
5. **Receipt and operations**: `GET /orders/{order_id}` shows the payment references and the
   timeline; operators move paid orders through processing, shipped and delivered.

## Errors
Every failure is `{"error": {"code", "message", "field"}}` with a stable `code`
(e.g. `out_of_stock`, `invalid_discount_code`, `validation_failed`, `not_authenticated`).
A `503` with code `busy` and a `Retry-After` header means the database had no capacity
left at that moment; retry after the given seconds.
"""

TAGS = [
    {"name": "auth", "description": "Accounts and bearer tokens."},
    {"name": "catalog", "description": "Categories and products; no token needed."},
    {"name": "cart", "description": "The signed-in customer's cart."},
    {"name": "orders", "description": "Quotes, pending orders and the customer's order history."},
    {
        "name": "payment",
        "description": "Stripe Checkout: open a hosted session, confirm it, receive webhooks.",
    },
    {"name": "admin", "description": "The operator console: orders, fulfilment and refunds."},
    {"name": "admin catalog", "description": "Products, stock and discount codes."},
    {"name": "analytics", "description": "Sales KPIs for operators and analysts."},
    {"name": "health", "description": "Is the service up?"},
]

# How many sign-in and registration attempts one client address gets per minute.
SIGN_IN_PER_MINUTE = 10
REGISTRATIONS_PER_MINUTE = 10


def create_api() -> FastAPI:
    """The API app; mount it (the server uses `Mount("/api", app=create_api())`)."""
    app = FastAPI(
        title="Shopora API",
        version=VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        # Any route may answer 503 "busy" (with Retry-After) when the database is saturated.
        responses=errors.errors(503),
    )
    app.state.sign_in_limiter = RateLimiter(SIGN_IN_PER_MINUTE, 60)
    app.state.registration_limiter = RateLimiter(REGISTRATIONS_PER_MINUTE, 60)
    errors.install(app)
    app.add_middleware(RequestGuard)
    areas = (auth, catalog, cart, orders, payment, webhooks)
    admin = (admin_orders, admin_products, admin_discounts, analytics)
    for area in (*areas, *admin, health, docs):
        app.include_router(area.router)
    return app
