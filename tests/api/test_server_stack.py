"""The API as the real server mounts it, behind Streamlit's own middleware: every error under
/api still has the documented JSON shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from starlette.testclient import TestClient

from shopora.config import Settings
from shopora.server import build_middleware, build_routes


@pytest.fixture(scope="module")
def server() -> Iterator[TestClient]:
    """No case here reaches the database: each is refused before any route runs."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    app = st.App("Home.py", routes=build_routes(settings), middleware=build_middleware(settings))
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/products/..%2f..%2fetc%2fpasswd", 400),  # refused by Streamlit's path check
        ("/api/products/a%00b", 400),
        ("/api/nowhere", 404),
        ("/api/products/%ff", 422),
    ],
)
def test_an_error_under_api_is_json_whoever_raised_it(
    server: TestClient, path: str, status: int
) -> None:
    response = server.get(path)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_pages_outside_api_keep_streamlit_s_own_answers(server: TestClient) -> None:
    response = server.get("/..%2f..%2fetc%2fpasswd")

    assert response.status_code == 400
    assert not response.headers.get("content-type", "").startswith("application/json")
