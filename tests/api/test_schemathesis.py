"""Property-based fuzzing of every documented route against the served schema: whatever a
client sends, the API answers without a 5xx and with a body its schema declares.

Calls go in-process (ASGI) and carry an operator's token (operators may use every route,
customer ones included), so the fuzzing reaches the services instead of stopping at 401.
Excluded: the webhook (it only accepts signed bodies) and the payment routes, which call
Stripe (the purchase tests drive them against the emulator).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.routing import Mount

from shopora.api.app import create_api
from shopora.api.deps import get_session
from shopora.db import build_engine, session_scope
from shopora.models import DiscountCode, DiscountKind, Role
from shopora.services import cart
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.api.factories_api import fresh_db, seed_catalog
from tests.factories import make_user

# The coverage phase (every boundary and invalid value of every field, ~1,500 calls) takes
# about half a minute; it runs when SHOPORA_FUZZ_DEEP=1, the quick fuzzing always.
DEEP = os.environ.get("SHOPORA_FUZZ_DEEP") == "1"
CONFIG = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": DEEP, "unexpected-methods": []}}}
)
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


class Database:
    """Where the app's sessions go; set by `seeded` before the first call (the schema itself
    is loaded at import, when pytest collects the operations)."""

    engine: Engine | None = None


def database_session() -> Iterator[Session]:
    assert Database.engine is not None, "the seeded fixture sets the database"
    with session_scope(Database.engine) as session:
        yield session


api = create_api()
api.dependency_overrides[get_session] = database_session
APP = Starlette(routes=[Mount("/api", app=api)])
schema = (
    schemathesis.openapi.from_asgi("/api/openapi.json", APP, config=CONFIG)
    .exclude(path="/webhooks/stripe")
    .exclude(path_regex="^/payment/")
)


@pytest.fixture(scope="module", autouse=True)
def seeded(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[None]:
    """One database for the whole run, seeded so reads return data: a catalog, a code, and a
    pending order of the operator's."""
    engine = build_engine(fresh_db(tmp_path_factory.mktemp("fuzz"), sqlite_template))
    with Session(engine, expire_on_commit=False) as session:
        operator = make_user(session, username="fuzzer", role=Role.OPERATOR)
        speaker = seed_catalog(session)["speaker"]
        session.add(DiscountCode(code="TEN", kind=DiscountKind.PERCENT, value=10))
        session.commit()
        cart.add_item(session=session, user_id=operator.id or 0, product_id=speaker.id or 0)
        address = ShippingAddress("Fuzz", "1 Way", "Arlington", "22201", "US")
        place_order(session=session, user_id=operator.id or 0, shipping=address)
    Database.engine = engine
    yield
    Database.engine = None
    engine.dispose()


@pytest.fixture(scope="module")
def operator_headers(seeded: None) -> dict[str, str]:
    with TestClient(APP, base_url="http://testserver/api") as client:
        response = client.post(
            "/auth/token", data={"username": "fuzzer", "password": "password123"}
        )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@schema.parametrize()
@FUZZ
def test_no_input_makes_the_api_fail_or_answer_off_schema(
    case: schemathesis.Case, operator_headers: dict[str, str]
) -> None:
    case.call_and_validate(
        headers=operator_headers, checks=[not_a_server_error, response_schema_conformance]
    )
