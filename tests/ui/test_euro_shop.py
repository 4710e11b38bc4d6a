"""A shop set to CURRENCY=eur charges euros and shows euros: to the customer (receipt, orders)
and to the operator (order console, dashboard), never a dollar sign."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pandas as pd
import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from shopora.config import get_settings
from shopora.errors import BelowMinimumCharge
from shopora.formatting import money
from shopora.models import Order, User
from shopora.payments.checkout import CheckoutStart
from shopora.services.pricing import Totals, ensure_chargeable
from shopora.ui.ops.tables import csv_bytes
from tests.ui.conftest import run_page, text


@pytest.fixture
def euro_shop(stripe: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURRENCY", "eur")
    monkeypatch.setenv("SHOP_LOCALE", "de_DE")
    get_settings.cache_clear()


def everything(at: AppTest) -> str:
    """Prose, alerts, metrics and table cells: all the page shows as text."""
    cells = [str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel()]
    metrics = [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join([text(at), *metrics, *cells])


def test_a_euro_purchase_reads_in_euros_for_the_customer_and_the_operator(
    euro_shop: None,
    page: Callable[..., AppTest],
    people: dict[str, User],
    checkout_for: Callable[[User], CheckoutStart],
    pay: Callable[..., httpx.Response],
    db: Callable[[], Session],
) -> None:
    # given a customer who paid for two mugs in a euro shop
    started = checkout_for(people["customer"])
    assert pay(started.url).status_code == 303

    # when the customer comes back from Stripe, and the operator opens the order
    receipt = page("payment_return", as_user=people["customer"])
    receipt.query_params["session_id"] = started.session_id
    receipt.run()
    console = run_page("admin_orders", "operator", order=started.order_id)
    with db() as session:
        order = session.get(Order, started.order_id)
        assert order is not None

    # then the order was charged in euros, and both read its total in euros, German style
    assert order.currency == "eur"  # and Stripe's session agreed, or it would not be paid
    total = money(order.total_cents)
    assert total.endswith("\xa0€") and "," in total  # e.g. "52,97 €"
    for at in (receipt, console):
        assert not at.exception
        shown = everything(at)
        assert total in shown
        assert "$" not in shown


def test_the_stripe_minimum_is_stated_in_the_shops_currency(euro_shop: None) -> None:
    with pytest.raises(BelowMinimumCharge, match="0,50\xa0€"):
        ensure_chargeable(Totals(10, 0, 0, 10))


def test_csv_amount_columns_name_the_shops_currency(euro_shop: None) -> None:
    frame = pd.DataFrame({"day": ["2026-12-01"], "revenue_cents": [4199], "orders": [1]})

    header = csv_bytes(frame).decode().splitlines()[0]

    assert header == "day,revenue_eur_cents,orders"
