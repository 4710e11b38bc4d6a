"""Stripe list objects and cursor pagination (newest first)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import invalid, no_such
from .params import Params
from .store import Record, Store

PAGE_PARAMS = ("limit", "starting_after", "ending_before")


@dataclass(frozen=True)
class PageArgs:
    limit: int
    starting_after: str | None
    ending_before: str | None


def list_object(url: str, data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def read_page_args(params: Params, filters: Collection[str] = ()) -> PageArgs:
    """limit (1..100, default 10) and one cursor; expansions are the caller's to read."""
    params.reject_unknown({*PAGE_PARAMS, *filters, "expand"})
    limit = params.integer("limit", minimum=1)
    if limit is not None and limit > 100:
        raise invalid("This value must be less than or equal to 100.", "limit")
    after, before = params.string("starting_after"), params.string("ending_before")
    if after and before:
        raise invalid(
            "You may only specify one of these parameters: ending_before, starting_after."
        )
    return PageArgs(limit or 10, after, before)


def page_of(
    store: Store,
    kind: str,
    args: PageArgs,
    filters: Mapping[str, Any],
    url: str,
    render: Callable[[Record], dict[str, Any]] = lambda r: r.data,
) -> dict[str, Any]:
    """One page of stored objects of `kind` matching `filters`."""
    after = _cursor(store, kind, args.starting_after, "starting_after")
    before = _cursor(store, kind, args.ending_before, "ending_before")
    records, has_more = store.page(
        kind, filters, limit=args.limit, after_seq=after, before_seq=before
    )
    return list_object(url, [render(r) for r in records], has_more)


def _cursor(store: Store, kind: str, object_id: str | None, param: str) -> int | None:
    if object_id is None:
        return None
    record = store.get(kind, object_id)
    if record is None:
        raise no_such(kind, object_id, param, status=400)
    return record.seq


def page_of_items(items: list[dict[str, Any]], args: PageArgs, url: str) -> dict[str, Any]:
    """Paginate an in-memory list kept in display order (e.g. a session's line items)."""
    ids = [item["id"] for item in items]
    start, stop = 0, len(items)
    if args.starting_after is not None:
        start = _index(ids, args.starting_after, "starting_after") + 1
    if args.ending_before is not None:
        stop = _index(ids, args.ending_before, "ending_before")
        start = max(0, stop - args.limit)
    page = items[start:stop][: args.limit]
    # Walking backwards (ending_before), "more" means more items before this page.
    has_more = start > 0 if args.ending_before is not None else start + len(page) < stop
    return list_object(url, page, has_more)


def _index(ids: list[str], object_id: str, param: str) -> int:
    if object_id not in ids:
        raise no_such("item", object_id, param, status=400)
    return ids.index(object_id)
