"""A guest's cart is kept by the server under the browser's guest cookie: a reload, a new tab
or signing in later (from a fresh page load) keeps it; another browser does not see it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import LiveServer, add_to_cart, sign_in, sign_out, wait_for_app

SPEAKER = "Pebble Bluetooth Speaker"
NOTEBOOK = "Fieldnote Dot Grid Notebook"

pytestmark = pytest.mark.timeout(180)


def register(server: LiveServer, username: str) -> None:
    httpx.post(
        f"{server.url}/api/auth/register",
        json={
            "username": username,
            "email": f"{username}@example.test",
            "name": username.title(),
            "password": f"{username}12345",
        },
    ).raise_for_status()


def shows_cart_of(page: Any, count: int) -> bool:
    """The shop bar's cart link says `count` (waiting for it: links load after the text)."""
    page.get_by_role("link", name=f"Cart ({count})", exact=True).wait_for(timeout=20_000)
    return True


def open_shop(page: Any, server: LiveServer) -> str:
    page.goto(f"{server.url}/shop")
    wait_for_app(page)
    return str(page.inner_text("body"))


def cart_page(page: Any, server: LiveServer) -> str:
    page.goto(f"{server.url}/cart")
    wait_for_app(page)
    return str(page.inner_text("body"))


def test_a_guest_cart_survives_reloads_and_follows_the_sign_in(
    live_server: LiveServer, browser: Any
) -> None:
    server = live_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_shop(page, server)
    add_to_cart(page, NOTEBOOK)
    page.get_by_role("radio", name=re.compile(r"^Audio")).click()
    wait_for_app(page)
    add_to_cart(page, SPEAKER)
    assert shows_cart_of(page, 2)

    page.reload()
    wait_for_app(page)
    assert shows_cart_of(page, 2)
    second_tab = context.new_page()
    body = cart_page(second_tab, server)
    assert SPEAKER in body and NOTEBOOK in body
    second_tab.close()

    stranger = browser.new_context().new_page()
    open_shop(stranger, server)
    assert shows_cart_of(stranger, 0)
    stranger.context.close()

    # Signing in from a fresh load of the account page (not in-app) still merges the cart
    # (into a new customer's, so the demo customer's cart stays as other tests expect it).
    register(server, "gwen")
    sign_in(page, server, "gwen", "gwen12345")
    body = cart_page(page, server)
    assert SPEAKER in body and NOTEBOOK in body

    # Signed out, a new page load (a new session, only cookies to go by) is a guest again,
    # and the guest cart was folded in, not copied: it is empty.
    sign_out(page, server)
    body = open_shop(page, server)
    assert "Browsing as a guest" in body and shows_cart_of(page, 0)
    context.close()
