"""Every customer-facing page for every kind of visitor: allowed pages render without an
exception, the others turn the visitor away with a reason (each page checks by itself)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from shopora.models import User

ALLOWED = {
    "shop": {"anonymous", "customer", "operator", "analyst"},
    "cart": {"anonymous", "customer"},
    "checkout": {"customer"},
    "payment_return": {"customer"},
    "my_orders": {"customer"},
}
VISITORS = ("anonymous", "customer", "operator", "analyst")


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_each_page_admits_its_visitors_and_turns_the_others_away(
    page: Callable[..., AppTest], people: dict[str, User], name: str, visitor: str
) -> None:
    at = page(name, as_user=people.get(visitor)).run()
    assert not at.exception
    refusals = [error.value for error in at.error]
    if visitor in ALLOWED[name]:
        assert refusals == []
    elif visitor == "anonymous":
        assert "sign in" in refusals[0].lower()
    else:
        assert refusals[0].startswith("This page is for customers")
