"""Operator pages: what this server is (/) and the webhook delivery log (/deliveries)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .core import Core
from .html import esc, page
from .webhooks import delivery_log, queued


def ops_routes(core: Core) -> list[Route]:
    async def index(request: Request) -> Response:
        return _index(core)

    async def deliveries(request: Request) -> Response:
        return await run_in_threadpool(_deliveries, core)

    return [Route("/", index, methods=["GET"]), Route("/deliveries", deliveries, methods=["GET"])]


def _index(core: Core) -> Response:
    config = core.config
    target = esc(config.webhook_url) if config.webhook_url else "nowhere (events are only recorded)"
    body = (
        '<div class="ops"><h1>Stripe emulator</h1>'
        "<p>A local stand-in for the part of Stripe's API that Shopora uses: Checkout "
        "Sessions, a hosted payment page, coupons, payment intents, charges, refunds, events "
        "and signed webhooks. Point the official SDK at "
        f"<code>{esc(config.public_url)}</code> with any <code>sk_test_</code> key.</p>"
        f"<p>Webhooks go to <code>{target}</code>.</p>"
        f'<p><a href="{esc(config.public_url)}/deliveries">Webhook delivery log →</a></p>'
        "</div>"
    )
    return page("Stripe emulator", body)


def _time(timestamp: float | None) -> str:
    if timestamp is None:
        return "—"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _deliveries(core: Core) -> Response:
    rows = "".join(
        f"<tr><td><code>{esc(a['event'])}</code></td><td>{esc(a['event_type'])}</td>"
        f"<td>{a['attempt']}</td><td>{_time(a['attempted_at'])}</td>"
        f'<td class="{"ok" if a["succeeded"] else "bad"}">'
        f"{esc(a['http_status'] or a['error'])}</td><td>{_time(a['next_retry_at'])}</td></tr>"
        for a in delivery_log(core, limit=200)
    )
    waiting = "".join(
        f"<tr><td><code>{esc(q['event_id'])}</code></td><td>{esc(q['type'])}</td>"
        f'<td>{q["attempts"]}</td><td class="pending">{_time(q["next_attempt_at"])}</td></tr>'
        for q in queued(core)
    )
    body = (
        '<div class="ops"><h1>Webhook deliveries</h1>'
        f"<p>Target: <code>{esc(core.config.webhook_url or 'none configured')}</code></p>"
        "<h2>Waiting</h2><table><tr><th>Event</th><th>Type</th><th>Attempts so far</th>"
        f"<th>Next attempt</th></tr>{waiting or '<tr><td colspan=4>Nothing queued.</td></tr>'}"
        "</table><h2>Attempts (newest first)</h2><table><tr><th>Event</th><th>Type</th>"
        "<th>Attempt</th><th>Time</th><th>Result</th><th>Next retry</th></tr>"
        f"{rows or '<tr><td colspan=6>No attempts yet.</td></tr>'}</table>"
        '<p class="footer">JSON: GET /v1/webhook_deliveries (needs the API key).</p></div>'
    )
    return page("Webhook deliveries — Stripe emulator", body)
