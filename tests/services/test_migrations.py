"""Migrations that change existing tables run both ways on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect
from sqlmodel import Session

from shopora.db import alembic_config, build_engine
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import search_orders
from tests.factories import make_order, make_user


def order_columns(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns("orders")}
    finally:
        engine.dispose()


def test_0006_adds_the_shipping_region_and_takes_it_away_again(db_url: str) -> None:
    # given a database taken back to before the region existed
    config = alembic_config(db_url)
    command.downgrade(config, "0002")
    assert "shipping_region" not in order_columns(db_url)
    # when it is upgraded to 0006 and back
    command.upgrade(config, "0006")
    assert "shipping_region" in order_columns(db_url)
    command.downgrade(config, "0002")
    # then the column comes and goes, and head is reachable again
    assert "shipping_region" not in order_columns(db_url)
    command.upgrade(config, "head")
    assert "shipping_region" in order_columns(db_url)


def test_0007_indexes_for_search_the_orders_placed_before_it(db_url: str) -> None:
    # given an order placed before the search text existed
    config = alembic_config(db_url)
    command.downgrade(config, "0006")
    engine = build_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        customer = make_user(session, name="Backfill Person")
        order = make_order(session, customer, shipping_name="Older Shipment")
    engine.dispose()

    # when the database is upgraded
    command.upgrade(config, "head")

    # then its shipping name and its customer's name find it
    engine = build_engine(db_url)
    with Session(engine) as session:
        for typed in ("older shipm", "BACKFILL pers"):
            page = search_orders(session=session, filters=OrderFilter(query=typed))
            assert [row.order_id for row in page.rows] == [order.id]
    engine.dispose()
