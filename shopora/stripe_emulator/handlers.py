"""One function per API operation: read the request's params, call the use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import coupons, payments, refunds, sessions
from .core import Core, RequestInfo
from .errors import no_such
from .lists import list_object, page_of, read_page_args
from .params import Params
from .session_params import SESSION_EXPANDABLE, read_expand
from .webhooks import delivery_log


@dataclass(frozen=True)
class ApiCall:
    params: Params
    path: dict[str, str]
    request: RequestInfo


Handler = Callable[[Core, ApiCall], dict[str, Any]]


def _filters(params: Params, *names: str) -> dict[str, str]:
    return {name: value for name in names if (value := params.string(name)) is not None}


def _expand_only(call: ApiCall, allowed: set[str]) -> list[str]:
    call.params.reject_unknown({"expand"})
    return read_expand(call.params, allowed)


def create_session(core: Core, call: ApiCall) -> dict[str, Any]:
    return sessions.create_session(core, call.params, call.request)


def retrieve_session(core: Core, call: ApiCall) -> dict[str, Any]:
    expand = _expand_only(call, SESSION_EXPANDABLE)
    record = sessions.load_session(core, call.path["id"])
    return sessions.render(core, record.data, expand)


def _list_expand(call: ApiCall, allowed: set[str]) -> list[str]:
    """A list's expansions name paths under `data.`; returns them without the prefix."""
    paths = read_expand(call.params, {f"data.{path}" for path in allowed})
    return [path.removeprefix("data.") for path in paths]


def list_sessions(core: Core, call: ApiCall) -> dict[str, Any]:
    args = read_page_args(call.params, ("status", "payment_intent"))
    call.params.choice("status", ("open", "complete", "expired"))
    expand = _list_expand(call, SESSION_EXPANDABLE)
    filters = _filters(call.params, "status", "payment_intent")
    return sessions.list_sessions(core, args, filters, expand)


def list_session_line_items(core: Core, call: ApiCall) -> dict[str, Any]:
    args = read_page_args(call.params)
    _list_expand(call, set())
    return sessions.list_line_items(core, call.path["id"], args)


def expire_session(core: Core, call: ApiCall) -> dict[str, Any]:
    expand = _expand_only(call, SESSION_EXPANDABLE)
    session = sessions.expire_session(core, call.path["id"], call.request)
    return sessions.render(core, session, expand)


def create_coupon(core: Core, call: ApiCall) -> dict[str, Any]:
    return coupons.create_coupon(core, call.params, call.request)


def retrieve_coupon(core: Core, call: ApiCall) -> dict[str, Any]:
    _expand_only(call, set())
    return coupons.retrieve_coupon(core, call.path["id"])


def list_coupons(core: Core, call: ApiCall) -> dict[str, Any]:
    args = read_page_args(call.params)
    _list_expand(call, set())
    return page_of(core.store, "coupon", args, {}, "/v1/coupons")


def retrieve_payment_intent(core: Core, call: ApiCall) -> dict[str, Any]:
    expand = _expand_only(call, {"latest_charge"})
    return payments.retrieve_intent(core, call.path["id"], expand)


def retrieve_charge(core: Core, call: ApiCall) -> dict[str, Any]:
    _expand_only(call, set())
    return payments.retrieve_charge(core, call.path["id"])


def create_refund(core: Core, call: ApiCall) -> dict[str, Any]:
    return refunds.create_refund(core, call.params, call.request)


def retrieve_refund(core: Core, call: ApiCall) -> dict[str, Any]:
    _expand_only(call, set())
    return refunds.retrieve_refund(core, call.path["id"])


def list_refunds(core: Core, call: ApiCall) -> dict[str, Any]:
    args = read_page_args(call.params, ("payment_intent", "charge"))
    _list_expand(call, set())
    filters = _filters(call.params, "payment_intent", "charge")
    return page_of(core.store, refunds.REFUND, args, filters, "/v1/refunds")


def retrieve_event(core: Core, call: ApiCall) -> dict[str, Any]:
    _expand_only(call, set())
    return _retrieve(core, "event", call.path["id"])


def list_events(core: Core, call: ApiCall) -> dict[str, Any]:
    args = read_page_args(call.params, ("type",))
    _list_expand(call, set())
    return page_of(core.store, "event", args, _filters(call.params, "type"), "/v1/events")


def retrieve_shipping_rate(core: Core, call: ApiCall) -> dict[str, Any]:
    _expand_only(call, set())
    return _retrieve(core, "shipping_rate", call.path["id"])


def _retrieve(core: Core, kind: str, object_id: str) -> dict[str, Any]:
    record = core.store.get(kind, object_id)
    if record is None:
        raise no_such(kind, object_id, "id")
    return record.data


def list_webhook_deliveries(core: Core, call: ApiCall) -> dict[str, Any]:
    """Emulator-only: the delivery log, newest attempt first."""
    call.params.reject_unknown({"limit", "event"})
    limit = call.params.integer("limit", minimum=1) or 100
    log = delivery_log(core, limit=limit, event_id=call.params.string("event"))
    return list_object("/v1/webhook_deliveries", log, False)


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/v1/checkout/sessions", create_session),
    ("GET", "/v1/checkout/sessions", list_sessions),
    ("GET", "/v1/checkout/sessions/{id}", retrieve_session),
    ("GET", "/v1/checkout/sessions/{id}/line_items", list_session_line_items),
    ("POST", "/v1/checkout/sessions/{id}/expire", expire_session),
    ("POST", "/v1/coupons", create_coupon),
    ("GET", "/v1/coupons", list_coupons),
    ("GET", "/v1/coupons/{id}", retrieve_coupon),
    ("GET", "/v1/payment_intents/{id}", retrieve_payment_intent),
    ("GET", "/v1/charges/{id}", retrieve_charge),
    ("POST", "/v1/refunds", create_refund),
    ("GET", "/v1/refunds", list_refunds),
    ("GET", "/v1/refunds/{id}", retrieve_refund),
    ("GET", "/v1/events", list_events),
    ("GET", "/v1/events/{id}", retrieve_event),
    ("GET", "/v1/shipping_rates/{id}", retrieve_shipping_rate),
    ("GET", "/v1/webhook_deliveries", list_webhook_deliveries),
)
