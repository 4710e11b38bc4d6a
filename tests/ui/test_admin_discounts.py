"""Discount codes: operators only; the usage table, create and edit under every rule with the
refusal shown under its field, deactivate and activate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from shopora.db import session_scope
from shopora.models import DiscountCode
from shopora.services import discounts_admin
from tests.ui.conftest import run_page

Open = Callable[[str | None], AppTest]


@pytest.fixture
def discounts_page(shop_db: str) -> Open:
    """`discounts_page("operator")` → the page run as that seeded user."""
    return lambda username: run_page("admin_discounts", username)


def code_named(text: str) -> DiscountCode | None:
    with session_scope() as session:
        statement = select(DiscountCode).where(func.lower(DiscountCode.code) == text.lower())
        return session.exec(statement).first()


def create(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Create code").click().run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def select_row(at: AppTest, code: str) -> AppTest:
    row = list(at.dataframe[0].value["Code"]).index(code)
    at.session_state["discounts_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(discounts_page: Open) -> None:
    at = discounts_page(None)

    assert "Please sign in" in at.error[0].value
    assert not at.dataframe


@pytest.mark.parametrize("username", ["customer", "analyst"])
def test_customers_and_analysts_are_turned_away(discounts_page: Open, username: str) -> None:
    at = discounts_page(username)

    assert "This page is for operators" in at.error[0].value
    assert not at.dataframe


def test_the_table_lists_every_code_with_its_usage(discounts_page: Open) -> None:
    at = discounts_page("operator")

    with session_scope() as session:
        usage = discounts_admin.code_usage(session=session)
    table = at.dataframe[0].value
    assert not at.exception
    assert list(table["Code"]) == [row.code for row in usage]
    assert ["expired"] in [list(cell) for cell in table["Status"]]
    assert list(table["Discount given"] * 100) == pytest.approx(
        [row.discount_given_cents for row in usage]
    )
    assert not table.isna().any().any()
    assert at.download_button(key="discounts_csv").label == "Export CSV"


def test_a_percentage_over_100_is_refused_under_the_value_field(discounts_page: Open) -> None:
    at = discounts_page("operator")

    at.text_input(key="new_code_code").input("BIG150")
    at.text_input(key="new_code_pct").input("150")
    at = create(at)

    assert "A percentage is 1 to 100." in errors(at)
    assert code_named("BIG150") is None


def test_every_rule_is_named_when_it_refuses(discounts_page: Open) -> None:
    at = discounts_page("operator")
    at.segmented_control(key="new_code_kind").set_value("fixed").run()

    at.text_input(key="new_code_code").input("TAKE5")
    at.text_input(key="new_code_amount").input("five")
    at = create(at)
    assert "Enter an amount like 12.34." in errors(at)

    at.text_input(key="new_code_amount").input("5")
    at.datetime_input(key="new_code_starts").set_value(datetime(2030, 6, 1, 9, 0))
    at.datetime_input(key="new_code_ends").set_value(datetime(2030, 5, 1, 9, 0))
    at = create(at)
    assert "The code must end after it starts." in errors(at)

    at.datetime_input(key="new_code_ends").set_value(None)
    at.number_input(key="new_code_max").set_value(0)
    at = create(at)
    assert "Allow at least one redemption, or leave the limit empty." in errors(at)

    at.number_input(key="new_code_max").set_value(None)
    at.text_input(key="new_code_code").input("welcome10")
    at = create(at)
    assert "The code WELCOME10 already exists." in errors(at)
    assert code_named("TAKE5") is None


def test_a_valid_code_is_created(discounts_page: Open) -> None:
    at = discounts_page("operator")
    at.segmented_control(key="new_code_kind").set_value("fixed").run()

    at.text_input(key="new_code_code").input("take5")
    at.text_input(key="new_code_amount").input("5.00")
    at.text_input(key="new_code_min").input("40")
    at.number_input(key="new_code_max").set_value(100)
    at = create(at)

    created = code_named("TAKE5")
    assert created is not None
    assert (created.kind, created.value, created.min_subtotal_cents) == ("fixed", 500, 4000)
    assert created.max_redemptions == 100
    assert "TAKE5" in list(at.dataframe[0].value["Code"])


def test_a_code_is_deactivated_and_activated_again(discounts_page: Open) -> None:
    at = select_row(discounts_page("operator"), "FREESHIP")

    at.button(key="code_deactivate").click().run()
    assert code_named("FREESHIP").active is False  # type: ignore[union-attr]

    at.button(key="code_activate").click().run()
    assert code_named("FREESHIP").active is True  # type: ignore[union-attr]


def test_editing_a_code_keeps_the_rules(discounts_page: Open) -> None:
    at = select_row(discounts_page("operator"), "WELCOME10")
    key = f"edit_code_{code_named('WELCOME10').id}"  # type: ignore[union-attr]

    at.text_input(key=f"{key}_pct").input("101")
    at = next(b for b in at.button if b.label == "Save changes").click().run()
    assert "A percentage is 1 to 100." in errors(at)

    at.text_input(key=f"{key}_pct").input("12")
    at = next(b for b in at.button if b.label == "Save changes").click().run()
    assert code_named("WELCOME10").value == 12  # type: ignore[union-attr]
