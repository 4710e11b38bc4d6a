"""Products & stock: operators only; create and edit with field errors, stock changes with a
note, the ledger, and delete that archives what history refers to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from shopora.db import session_scope
from shopora.models import InventoryMovement, Order, Product
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


def toasts(at: AppTest) -> list[str]:
    return [t.value for t in at.toast]


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
    assert list(table["Price"] * 100) == pytest.approx([row.price_cents for row in rows])
    assert table["Price"].dtype.kind == "f"  # sorts as a number, shown as currency


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
    assert any("Created Trail Bottle" in t for t in toasts(at))
    assert at.text_input(key="new_product_r1_name").value == ""  # the form starts afresh


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
    assert any(f"{item.stock_on_hand + 5} on hand now" in t for t in toasts(at))


def test_after_a_stock_change_the_form_is_empty_so_a_second_click_records_nothing(
    products_page: Open,
) -> None:
    item = product_by_sku("AUD-001")
    assert item is not None
    at = products_page("operator", product=item.id)
    at.number_input(key=f"adjust_delta_{item.id}").set_value(5)
    at.text_input(key=f"adjust_note_{item.id}").input("Delivery from supplier")
    at = submit(at, "Record stock change")

    assert at.number_input(key=f"adjust_delta_{item.id}").value == 0
    assert at.text_input(key=f"adjust_note_{item.id}").value == ""
    at = submit(at, "Record stock change")  # the same click again: no delta, no note

    assert product_by_sku("AUD-001").stock_on_hand == item.stock_on_hand + 5  # type: ignore[union-attr]
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["On hand"] == str(item.stock_on_hand + 5)


def test_the_ledger_names_the_order_by_its_number_not_its_id(history_db: str) -> None:
    with session_scope() as session:
        sold = session.exec(
            select(InventoryMovement).where(col(InventoryMovement.order_id).isnot(None))
        ).first()
        assert sold is not None
        number = session.get(Order, sold.order_id).number  # type: ignore[union-attr]
    at = run_page("admin_products", "operator", product=sold.product_id)

    ledger = next(df.value for df in at.dataframe if "Change" in df.value.columns)
    assert not at.exception
    assert number in set(ledger["Order"])
    assert ledger["Change"].dtype.kind == "i"


def test_deleting_a_product_with_stock_history_archives_it_and_says_so(
    products_page: Open,
) -> None:
    item = product_by_sku("AUD-001")
    assert item is not None
    at = products_page("operator", product=item.id)

    at.button(key="product_delete").click().run()
    at.button(key="confirm_product_delete").click().run()

    assert product_by_sku("AUD-001").active is False  # type: ignore[union-attr]
    assert any("archived instead of deleted" in t for t in toasts(at))


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
    assert any("is deleted" in t for t in toasts(at))
    assert "product" not in at.query_params
