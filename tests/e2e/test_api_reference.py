"""The API reference renders in a real browser, offline (the Scalar bundle is served locally)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer, screenshot


@pytest.mark.timeout(120)
def test_the_api_reference_renders_the_payment_contract(
    live_server: LiveServer, browser: object
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(f"{live_server.url}/api/docs")
    # Scalar fetches /api/openapi.json and renders each operation by its summary
    page.get_by_text("Shopora API").first.wait_for(timeout=30_000)
    page.get_by_text("stripe-checkout", exact=False).first.wait_for(timeout=30_000)

    body = page.inner_text("body")
    assert "stripe-confirm" in body
    # the shop's test card, and a bearer-token field rather than OAuth client fields
    assert "4000 0566 5566 5556" in body and "4242 4242" not in body
    assert page.get_by_text("Client ID").count() == 0
    local = [url for url in failed if url.startswith(live_server.url)]
    assert not local, f"requests to the app failed: {local}"
    screenshot(page, "api-reference")
    context.close()
