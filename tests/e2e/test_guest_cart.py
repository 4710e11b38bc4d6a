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
    assert "Cart (2)" in page.inner_text("body")

    page.reload()
    wait_for_app(page)
    assert "Cart (2)" in page.inner_text("body")
    second_tab = context.new_page()
    body = cart_page(second_tab, server)
    assert SPEAKER in body and NOTEBOOK in body
    second_tab.close()

    stranger = browser.new_context().new_page()
    assert "Cart (0)" in open_shop(stranger, server)
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
    assert "Browsing as a guest" in body and "Cart (0)" in body
    context.close()
