"""The hosted payment page at /pay/{session_id}: what the customer sees instead of Stripe."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .cards import Decline, read_card, read_payer
from .checkout import pay_session
from .checkout_view import payment_form
from .core import Core
from .errors import StripeError
from .html import notice, page
from .sessions import load_session
from .store import Record


def checkout_routes(core: Core) -> list[Route]:
    async def show(request: Request) -> Response:
        session_id = request.path_params["session_id"]
        return await run_in_threadpool(_show, core, session_id)

    async def submit(request: Request) -> Response:
        session_id = request.path_params["session_id"]
        body = (await request.body()).decode("utf-8", errors="replace")
        form = dict(parse_qsl(body, keep_blank_values=True))
        return await run_in_threadpool(_submit, core, session_id, form)

    return [
        Route("/pay/{session_id}", show, methods=["GET"]),
        Route("/pay/{session_id}", submit, methods=["POST"]),
    ]


def _show(core: Core, session_id: str) -> Response:
    record = _find(core, session_id)
    if record is None:
        return _not_found()
    if record.data["status"] != "open":
        return _closed(record, redirect=False)
    email = record.data["customer_email"] or ""
    return _form(record, {"email": email}, {}, None)


def _submit(core: Core, session_id: str, form: dict[str, str]) -> Response:
    record = _find(core, session_id)
    if record is None:
        return _not_found()
    if record.data["status"] != "open":
        # A second submit after payment goes where the first one went, paying nothing.
        return _closed(record, redirect=True)
    payer, errors = read_payer(form)
    card = None
    if record.data["amount_total"] > 0:
        today = datetime.fromtimestamp(core.config.clock(), UTC).date()
        card, card_errors = read_card(form, today)
        errors.update(card_errors)
    if errors:
        return _form(record, form, errors, None)
    result = pay_session(core, session_id, card, payer)
    if isinstance(result, Decline):
        return _form(record, form, {}, result)
    return _closed(result, redirect=True)


def _find(core: Core, session_id: str) -> Record | None:
    try:
        return load_session(core, session_id)
    except StripeError:
        return None


def _form(
    record: Record, values: Mapping[str, str], errors: dict[str, str], decline: Decline | None
) -> Response:
    # The CVC is never echoed back into a re-rendered form, as card forms must not.
    kept = {k: v for k, v in values.items() if k != "cardCvc"}
    body, script = payment_form(record, kept, errors, decline)
    # 402 mirrors Stripe's card errors; a form with field errors is just shown again.
    status = 402 if decline else 200
    return page("Checkout — Stripe emulator (test mode)", body, status, script)


def _closed(record: Record, *, redirect: bool) -> Response:
    session: dict[str, Any] = record.data
    if session["status"] == "complete" and redirect:
        return RedirectResponse(success_redirect(session), status_code=303)
    if session["status"] == "complete":
        return notice(
            "This checkout session is already paid",
            "Your payment went through. There is nothing more to pay.",
            ("continue", success_redirect(session), "Continue to the merchant →"),
            200,
        )
    cancel = session["cancel_url"]
    link = ("back", cancel, "← Return to the merchant") if cancel else None
    return notice(
        "This checkout session has expired",
        "The time to pay has run out. Return to the merchant to start again.",
        link,
        200,
    )


def success_redirect(session: dict[str, Any]) -> str:
    """Stripe substitutes the literal {CHECKOUT_SESSION_ID} in success_url."""
    return str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session["id"])


def _not_found() -> Response:
    return notice(
        "Checkout session not found",
        "This payment link is not valid. Check the link or ask the merchant for a new one.",
        None,
        404,
    )
