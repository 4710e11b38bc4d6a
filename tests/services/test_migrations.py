"""Migrations that change existing tables run both ways on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect

from shopora.db import alembic_config


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
