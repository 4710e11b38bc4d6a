"""Products & stock: operators only; create and edit with field errors, stock changes with a
note, the ledger, and delete that archives what history refers to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from shopora.db import session_scope
from shopora.models import InventoryMovement, Product
from shopora.services import catalog, products_admin
from shopora.services.actors import Actor
from shopora.services.products_admin import ProductInput
from tests.ui.conftest import run_page

Open = Callable[..., AppTest]


@pytest.fixture
def products_page(shop_db: str) -> Open:
    """`products_page("operator", product=3)` → the page run as that seeded user."""

    def run(username: str | None, *, product: int | None = None) -> AppTest:
        return run_page("admin_products", username, product=product)

    return run


def product_by_sku(sku: str) -> Product | None:
    with session_scope() as session:
        return session.exec(select(Product).where(Product.sku == sku)).first()


def submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def fill_new_product(at: AppTest, **values: str) -> None:
    for field, value in values.items():
        at.text_input(key=f"new_product_{field}").input(value)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(products_page: Open) -> None:
    at = products_page(None)

    assert "Please sign in" in at.error[0].value
    assert not at.dataframe


@pytest.mark.parametrize("username", ["customer", "analyst"])
def test_customers_and_analysts_are_turned_away(products_page: Open, username: str) -> None:
    at = products_page(username)

    assert "This page is for operators" in at.error[0].value
    assert not at.dataframe


def test_the_table_shows_every_products_stock(products_page: Open) -> None:
    at = products_page("operator")

    with session_scope() as session:
        rows = products_admin.stock_overview(session=session)
    table = at.dataframe[0].value
    assert not at.exception
    assert list(table["SKU"]) == [row.sku for row in rows]
    assert list(table["Available"]) == [row.available for row in rows]


def test_creating_a_product_shows_each_refused_field_under_it_then_succeeds(
    products_page: Open,
) -> None:
    at = products_page("operator")
    fill_new_product(at, name="Trail Bottle", sku="TRL-900", price="twelve")
    at = submit(at, "Create product")
    assert "Enter an amount like 12.34." in errors(at)

    at.text_input(key="new_product_price").input("150")
    at = submit(at, "Create product")
    assert "Choose a category." in errors(at)

    at.selectbox(key="new_product_category").set_value(first_category_id())
    at.text_input(key="new_product_sku").input("AUD-001")
    at = submit(at, "Create product")
    assert any("already has the SKU AUD-001" in e for e in errors(at))
    assert product_by_sku("TRL-900") is None

    at.text_input(key="new_product_sku").input("TRL-900")
    at = submit(at, "Create product")

    created = product_by_sku("TRL-900")
    assert created is not None
    assert (created.name, created.price_cents, created.stock_on_hand) == ("Trail Bottle", 15000, 0)
    assert at.query_params["product"] == str(created.id)
    assert any("Created Trail Bottle" in s.value for s in at.success)


def first_category_id() -> int:
    with session_scope() as session:
        return catalog.list_categories(session=session)[0].id or 0


def test_a_stock_change_needs_a_note_and_lands_in_the_ledger(products_page: Open) -> None:
    item = product_by_sku("AUD-001")
    assert item is not None
    at = products_page("operator", product=item.id)

    at.number_input(key=f"adjust_delta_{item.id}").set_value(5)
    at = submit(at, "Record stock change")
    assert "Say why the stock changes." in errors(at)
    assert product_by_sku("AUD-001").stock_on_hand == item.stock_on_hand  # type: ignore[union-attr]

    at.text_input(key=f"adjust_note_{item.id}").input("Delivery from supplier")
    at = submit(at, "Record stock change")

    assert product_by_sku("AUD-001").stock_on_hand == item.stock_on_hand + 5  # type: ignore[union-attr]
    with session_scope() as session:
        latest = session.exec(
            select(InventoryMovement)
            .where(InventoryMovement.product_id == item.id)
            .order_by(col(InventoryMovement.id).desc())
        ).first()
    assert latest is not None
    assert (latest.delta, latest.reason, latest.actor) == (5, "restock", "operator")
    assert latest.note == "Delivery from supplier"


def test_deleting_a_product_with_stock_history_archives_it_and_says_so(
    products_page: Open,
) -> None:
    item = product_by_sku("AUD-001")
    assert item is not None
    at = products_page("operator", product=item.id)

    at.button(key="product_delete").click().run()
    at.button(key="confirm_product_delete").click().run()

    assert product_by_sku("AUD-001").active is False  # type: ignore[union-attr]
    assert any("archived instead of deleted" in i.value for i in at.info)


def test_deleting_a_product_nothing_refers_to_removes_it(products_page: Open) -> None:
    with session_scope() as session:
        fresh = products_admin.create_product(
            session=session,
            data=ProductInput(
                name="Spare Lid", sku="LID-001", category_id=first_category_id(), price_cents=500
            ),
            actor=Actor("operator"),
        )
    at = products_page("operator", product=fresh.id)

    at.button(key="product_delete").click().run()
    at.button(key="confirm_product_delete").click().run()

    assert product_by_sku("LID-001") is None
    assert any("is deleted" in s.value for s in at.success)
