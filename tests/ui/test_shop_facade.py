"""The shop's pages reach the domain through shopora.ui.facade.shop only: no page or shop
component opens a database session itself, and drawing a payment panel never calls Stripe
(a Checkout Session is opened by a button's action, and a rerun opens none)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

import shopora.db
from shopora.config import ROOT
from shopora.models import Order, Product, User
from shopora.services import cart, orders
from shopora.services.shipping import ShippingAddress
from shopora.ui.facade import shop as facade

SHOP_PAGES = ["shop", "cart", "checkout", "payment_return", "my_orders", "account"]
UI = ROOT / "shopora" / "ui"
MUG = "ember-stoneware-mug"


def shop_side_files() -> list[Path]:
    """Home.py, the shop's pages and every UI module but the facades and the operator side."""
    pages = [ROOT / "pages" / f"{name}.py" for name in SHOP_PAGES]
    modules = [
        path
        for path in UI.rglob("*.py")
        if not path.is_relative_to(UI / "facade") and not path.is_relative_to(UI / "ops")
    ]
    return [ROOT / "Home.py", *pages, *modules]


def database_imports(path: Path) -> list[str]:
    """Imports of shopora.db (the session factory) or of sqlmodel's Session in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module in ("shopora.db", "sqlmodel"):
            found.append(f"{path.relative_to(ROOT)}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"{path.relative_to(ROOT)}: import {alias.name}"
                for alias in node.names
                if alias.name in ("shopora.db", "sqlmodel")
            ]
    return found


def test_no_shop_page_or_component_imports_the_database() -> None:
    offenders = [line for path in shop_side_files() for line in database_imports(path)]
    assert offenders == []


@pytest.fixture
def sessions_opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count the facade's sessions; anyone else asking shopora.db for one fails the page."""
    opened: list[int] = []
    real = shopora.db.session_scope  # the one the facade imported

    @contextmanager
    def counted(*args: Any, **kwargs: Any) -> Iterator[Session]:
        opened.append(1)
        with real(*args, **kwargs) as session:
            yield session

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a page opened a database session outside the facade")

    monkeypatch.setattr(facade, "session_scope", counted)
    monkeypatch.setattr(shopora.db, "session_scope", refused)
    yield opened


@pytest.mark.parametrize("name", SHOP_PAGES)
def test_every_shop_page_gets_its_data_through_the_facade(
    name: str,
    page: Callable[..., AppTest],
    people: dict[str, User],
    sessions_opened: list[int],
) -> None:
    at = page(name, as_user=people["customer"]).run()
    assert not at.exception, at.exception
    assert sessions_opened, f"{name} drew without asking the facade"


@pytest.fixture
def pending_order(
    people: dict[str, User], products: dict[str, Product], db: Callable[[], Session]
) -> Order:
    """The customer's pending order, placed without any Stripe session yet."""
    customer = people["customer"]
    address = ShippingAddress(
        name="Casey Customer", line1="1 Infinite Loop", city="Springfield",
        region="IL", postal_code="12345", country="US",
    )  # fmt: skip
    with db() as session:
        cart.add_item(
            session=session, user_id=customer.id or 0, product_id=products[MUG].id or 0, quantity=1
        )
        return orders.place_order(session=session, user_id=customer.id or 0, shipping=address)


def stripe_state(db: Callable[[], Session], order_id: int | None) -> tuple[int, str | None]:
    """(Checkout Sessions asked for, the current session id) as the order records them."""
    with db() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.checkout_attempt, order.stripe_session_id


def test_drawing_and_rerunning_a_pending_order_opens_no_checkout_session(
    page: Callable[..., AppTest],
    people: dict[str, User],
    pending_order: Order,
    db: Callable[[], Session],
    stripe: str,
) -> None:
    # given a pending order without a Stripe session
    at = page("my_orders", as_user=people["customer"])
    at.query_params["order"] = str(pending_order.id)
    # when its page is drawn and rerun (as a fragment or a widget would)
    at.run()
    at.run()
    at.run()
    # then nothing was asked of Stripe: a button offers to open the payment page
    assert not at.exception
    assert stripe_state(db, pending_order.id) == (0, None)
    assert at.get("link_button") == []
    assert at.button(key=f"pay_open_{pending_order.id}").label == "Pay now"


def test_the_pay_button_opens_one_session_and_reruns_reuse_it(
    page: Callable[..., AppTest],
    people: dict[str, User],
    pending_order: Order,
    db: Callable[[], Session],
    stripe: str,
) -> None:
    at = page("my_orders", as_user=people["customer"])
    at.query_params["order"] = str(pending_order.id)
    at.run()
    # when the customer presses "Pay now"
    at.button(key=f"pay_open_{pending_order.id}").click().run()
    attempts, session_id = stripe_state(db, pending_order.id)
    # then one session is opened and its page is the link
    assert (attempts, session_id is not None) == (1, True)
    (link,) = at.get("link_button")
    assert link.proto.url.startswith(f"{stripe}/stripe-emulator/pay/{session_id}")
    # and reruns draw the same link without asking Stripe again
    at.run()
    at.run()
    assert stripe_state(db, pending_order.id) == (1, session_id)
    (link,) = at.get("link_button")
    assert session_id in link.proto.url


def test_a_stripe_that_cannot_be_reached_is_explained_beside_the_button(
    page: Callable[..., AppTest],
    people: dict[str, User],
    pending_order: Order,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shopora.errors import PaymentError

    def unreachable(order_id: int, user_id: int) -> None:
        raise PaymentError("Stripe could not be reached; try again in a moment.")

    monkeypatch.setattr(facade, "start_payment", unreachable)
    at = page("my_orders", as_user=people["customer"])
    at.query_params["order"] = str(pending_order.id)
    at.run()
    at.button(key=f"pay_open_{pending_order.id}").click().run()
    assert not at.exception
    assert "Stripe could not be reached" in at.error[0].value
    assert at.button(key=f"pay_open_{pending_order.id}").label == "Pay now"
