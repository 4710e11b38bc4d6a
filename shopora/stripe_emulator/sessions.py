"""Checkout Session use cases: create, read, list, expire."""

from __future__ import annotations

from typing import Any

from . import ids
from .core import DEFAULT_API_VERSION, Core, RequestInfo
from .coupons import discount_amount, usable_coupon
from .errors import invalid, no_such
from .lists import PageArgs, list_object, page_of, page_of_items
from .params import Params
from .payments import retrieve_intent
from .session_build import (
    check_amount_due,
    line_item,
    session_object,
    shipping_rate,
    single_currency,
    totals_for,
)
from .session_params import SessionDraft, read_session_params
from .store import Record

SESSION = "checkout.session"
MIN_LIFETIME = 30 * 60
MAX_LIFETIME = 24 * 60 * 60


def create_session(core: Core, params: Params, request: RequestInfo) -> dict[str, Any]:
    """POST /v1/checkout/sessions."""
    draft = read_session_params(params)
    currency = single_currency(draft)
    now = core.now()
    expires_at = _expires_at(draft.expires_at, now)
    with core.store.atomic():
        coupon = None
        if draft.coupon_id is not None:
            coupon = usable_coupon(core, draft.coupon_id, currency, "discounts[0][coupon]")
        subtotal = sum(line.unit_amount * line.quantity for line in draft.lines)
        totals = totals_for(draft, discount_amount(coupon, subtotal) if coupon else 0)
        check_amount_due(totals, currency)
        rate = shipping_rate(draft.shipping, now) if draft.shipping else None
        session_id = ids.session_id()
        session = session_object(
            draft,
            session_id=session_id,
            url=f"{core.config.public_url}/pay/{session_id}",
            currency=currency,
            totals=totals,
            rate=rate,
            created=now,
            expires_at=expires_at,
        )
        items = [
            line_item(line, share, now)
            for line, share in zip(draft.lines, totals.line_discounts, strict=True)
        ]
        extra = {**_extra(draft, items, coupon), "api_version": request.api_version}
        core.store.insert(SESSION, session, extra)
        if rate is not None:
            core.store.insert("shipping_rate", rate)
    return render(core, session, draft.expand)


def _expires_at(requested: int | None, now: int) -> int:
    if requested is None:
        return now + MAX_LIFETIME
    if requested < now + MIN_LIFETIME:
        raise invalid(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session "
            "creation.",
            "expires_at",
        )
    if requested > now + MAX_LIFETIME:
        raise invalid(
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
            "expires_at",
        )
    return requested


def _extra(
    draft: SessionDraft, items: list[dict[str, Any]], coupon: dict[str, Any] | None
) -> dict[str, Any]:
    """What the hosted page shows but the session object does not carry."""
    return {
        "line_items": items,
        "products": [
            {"name": line.name, "description": line.description, "images": line.images}
            for line in draft.lines
        ],
        "coupon_name": (coupon["name"] or coupon["id"]) if coupon else None,
        "shipping_name": draft.shipping.display_name if draft.shipping else None,
        "intent_metadata": draft.intent_metadata,
    }


def render(core: Core, session: dict[str, Any], expand: list[str]) -> dict[str, Any]:
    """The session as the API returns it, with the requested expansions."""
    view = dict(session)
    if "line_items" in expand:
        record = load_session(core, session["id"])
        view["line_items"] = list_object(
            _items_url(session["id"]), record.extra["line_items"], False
        )
    intent_expand = [p for p in expand if p.startswith("payment_intent")]
    if intent_expand and view["payment_intent"]:
        nested = ["latest_charge"] if "payment_intent.latest_charge" in expand else []
        view["payment_intent"] = retrieve_intent(core, view["payment_intent"], nested)
    return view


def _items_url(session_id: str) -> str:
    return f"/v1/checkout/sessions/{session_id}/line_items"


def load_session(core: Core, session_id: str) -> Record:
    """The stored session, expired first if its time has passed and no sweep saw it yet."""
    with core.store.atomic():
        record = core.store.get(SESSION, session_id)
        if record is None:
            raise no_such(SESSION, session_id, "session")
        if _is_due(record, core.now()):
            _expire(core, record, background_request(record))
        return record


def background_request(record: Record) -> RequestInfo:
    """For events no API request caused (a payment, a timeout): no request id, and the
    API version the session was created with, i.e. the one its integration speaks."""
    return RequestInfo(api_version=record.extra.get("api_version") or DEFAULT_API_VERSION)


def _is_due(record: Record, now: int) -> bool:
    return bool(record.data["status"] == "open" and record.data["expires_at"] <= now)


def _expire(core: Core, record: Record, request: RequestInfo) -> None:
    record.data.update(status="expired", url=None)
    core.store.save(record)
    core.emit("checkout.session.expired", record.data, request)


def expire_session(core: Core, session_id: str, request: RequestInfo) -> dict[str, Any]:
    """POST /v1/checkout/sessions/{id}/expire: only an open session can be expired."""
    with core.store.atomic():
        record = load_session(core, session_id)
        status = record.data["status"]
        if status != "open":
            raise invalid(
                'Only Checkout Sessions with a status in ["open"] can be expired. '
                f"This Checkout Session has a status of `{status}`."
            )
        _expire(core, record, request)
    return record.data


def expire_due_sessions(core: Core) -> int:
    """Expire every open session whose `expires_at` has passed; returns how many."""
    with core.store.atomic():
        now = core.now()
        due = [r for r in core.store.where(SESSION, {"status": "open"}, "ASC") if _is_due(r, now)]
        for record in due:
            _expire(core, record, background_request(record))
    return len(due)


def list_sessions(
    core: Core, args: PageArgs, filters: dict[str, str], expand: list[str]
) -> dict[str, Any]:
    """GET /v1/checkout/sessions, newest first."""
    expire_due_sessions(core)
    return page_of(
        core.store, SESSION, args, filters, "/v1/checkout/sessions",
        lambda record: render(core, record.data, expand),
    )  # fmt: skip


def list_line_items(core: Core, session_id: str, args: PageArgs) -> dict[str, Any]:
    """GET /v1/checkout/sessions/{id}/line_items, in the order they were sent."""
    items = load_session(core, session_id).extra["line_items"]
    return page_of_items(items, args, _items_url(session_id))
