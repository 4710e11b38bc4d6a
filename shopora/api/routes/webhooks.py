"""The Stripe webhook receiver: raw body → verify → de-duplicate → dispatch → 2xx."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from shopora.api.deps import GatewayDep, SessionDep, get_payment_gateway
from shopora.api.errors import domain_error_json, errors
from shopora.errors import ShoporaError
from shopora.payments.webhooks import handle_webhook

router = APIRouter(tags=["payment"])

# The route takes the API's one gateway dependency; this name stays importable for tests
# that override it (it is the same function, so either override applies).
webhook_gateway = get_payment_gateway


class WebhookReceipt(BaseModel):
    model_config = {
        "json_schema_extra": {"examples": [{"received": True, "outcome": "order SO-10042 is paid"}]}
    }

    received: bool = True
    outcome: str = Field(description="What Shopora did with the event (for logs and people).")


@router.post(
    "/webhooks/stripe",
    summary="Receive a Stripe webhook",
    description=(
        "Stripe (or the local emulator) posts events here, signed in the `Stripe-Signature` "
        "header with the webhook secret. The signature is verified on the raw body (300 s "
        "tolerance, future timestamps refused): anything unsigned, mis-signed, stale or "
        "malformed is a 400 and changes nothing. Each event id is handled once (a replay "
        "answers 200 with outcome `duplicate`). Every event is checked with Stripe before it "
        "changes anything. Handled types: `checkout.session.completed` and "
        "`checkout.session.async_payment_succeeded` (fulfil the order), "
        "`checkout.session.async_payment_failed`, `checkout.session.expired` (cancel and "
        "release the holds, once Stripe says the session is expired), "
        "`payment_intent.payment_failed` (a declined card, on record) and `charge.refunded` "
        "(mirror refunds). Others, and ids that cannot exist or that Stripe does not know, "
        "are acknowledged (200) and logged as ignored. Only a transient failure (Stripe "
        "unreachable) answers 5xx, and Stripe retries it."
    ),
    response_model=WebhookReceipt,
    responses=errors(400, 502),
)
async def stripe_webhook(
    request: Request, session: SessionDep, gateway: GatewayDep
) -> WebhookReceipt | JSONResponse:
    payload = await request.body()  # the raw bytes: any re-serialised body fails the signature
    try:
        outcome = await run_in_threadpool(
            lambda: handle_webhook(
                session=session,
                payload=payload,
                sig_header=request.headers.get("stripe-signature"),
                gateway=gateway,
            )
        )
    except ShoporaError as exc:
        return domain_error_json(exc)
    return WebhookReceipt(outcome=outcome)
