"""The console's search answers from indexes (exact number, exact email, trigram full text)
exactly what a scan of every order would: on SQLite and PostgreSQL, whatever was typed, and
however the rows got there (ORM, bulk insert, later updates)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, update
from sqlmodel import Session, col, select

from shopora.models import Order, User
from shopora.services import admin_orders
from shopora.services.admin_order_filter import ORDER_SORTS, OrderFilter
from shopora.services.admin_orders import search_orders
from shopora.services.order_search import query_kind
from tests.factories import make_order, make_user

FIRST = ["Ada", "Bob", "Chloé", "Dana", "Eve", "Anne-Marie", "Liam", "Olivia", "Noah", "Zoe"]
LAST = ["Lovelace", "Smith", "O'Brien", "Smithson", "Johnson", "Jones", "de la Cruz", "Ng"]
ALPHABET = "abcdeimnorstz@.-_%'\" SO0123456789"
STATUSES = ("pending", "paid", "processing", "shipped", "delivered")


@pytest.fixture
def shop(engine: Engine) -> Iterator[Session]:
    """30 customers, 80 orders: some shipped under another name or email, some customers
    renamed after ordering, a few orders bulk-inserted past the ORM."""
    rng = random.Random(10)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine, expire_on_commit=False) as session:
        people = [
            make_user(
                session,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"{rng.choice(FIRST).lower()}{n}@{rng.choice(['shop.test', 'mail.test'])}",
            )
            for n in range(30)
        ]
        for n in range(70):
            person = rng.choice(people)
            other = {"shipping_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"} if n % 5 else {}
            make_order(session, person, created_at=start + timedelta(hours=n), **other)
        session.execute(insert(Order), [_bulk_row(rng.choice(people), n, start) for n in range(10)])
        for person in people[:5]:
            session.execute(
                update(User).where(User.id == person.id).values(name=f"Renamed {person.id}")
            )
        session.execute(
            update(Order)
            .where(Order.id == 1)
            .values(email="changed@later.test", shipping_name="Late Change")
        )
        for n in range(3):  # three totals, so that sorting by total has ties to break
            session.execute(
                update(Order)
                .where(col(Order.id) % 3 == n)
                .values(
                    subtotal_cents=1000 + 500 * n,
                    total_cents=col(Order.shipping_cents) + 1000 + 500 * n,
                )
            )
        for n, status in enumerate(STATUSES):  # a mix, so that a status narrows a search
            session.execute(
                update(Order).where(col(Order.id) % len(STATUSES) == n).values(status=status)
            )
        session.commit()
        yield session


def _bulk_row(person: User, n: int, start: datetime) -> dict[str, object]:
    return {
        "number": f"SO-B{n}", "user_id": person.id, "email": person.email,
        "shipping_name": person.name, "subtotal_cents": 1000, "shipping_cents": 0,
        "total_cents": 1000, "shipping_line1": "1 Main St", "shipping_city": "Springfield",
        "shipping_postal_code": "12345", "shipping_country": "US",
        "created_at": start - timedelta(hours=n + 1), "updated_at": start,
    }  # fmt: skip


def scan(session: Session, typed: str) -> list[int]:
    """What the search must find, by reading every order in Python (newest first)."""
    wanted = typed.strip().lower()
    rows = session.exec(select(Order, User).join(User, User.id == Order.user_id)).all()
    kind = query_kind(wanted)

    def hit(order: Order, user: User) -> bool:
        if not wanted:
            return True
        if kind == "number":
            return order.number.lower() == wanted
        if kind == "email":
            return wanted in (order.email.lower(), user.email.lower())
        texts = (order.shipping_name, order.email, user.name, user.email)
        return any(wanted in text.lower() for text in texts)

    found = [o for o, u in rows if hit(o, u)]
    found.sort(key=lambda o: (o.created_at, o.id), reverse=True)
    return [o.id or 0 for o in found]


def searched(session: Session, typed: str) -> list[int]:
    page = search_orders(session=session, filters=OrderFilter(query=typed, per_page=200))
    assert page.next_after is None
    return [row.order_id for row in page.rows]


def stored_texts(session: Session) -> list[str]:
    rows = session.exec(select(Order, User).join(User, User.id == Order.user_id)).all()
    texts = [t for o, u in rows for t in (o.shipping_name, o.email, o.number, u.name, u.email)]
    return [t for t in texts if t.isascii()]


@st.composite
def typed_text(draw: st.DrawFn, texts: list[str]) -> str:
    """Mostly a piece of a stored text in a random case, else anything from a small alphabet."""
    if draw(st.booleans()):
        return draw(st.text(ALPHABET, max_size=8))
    text = draw(st.sampled_from(texts))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    cased = "".join(c.upper() if draw(st.booleans()) else c for c in text[start:end])
    return f"{' ' * draw(st.integers(0, 1))}{cased}"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_search_finds_exactly_what_a_scan_finds(shop: Session, data: st.DataObject) -> None:
    typed = data.draw(typed_text(stored_texts(shop)))
    assert searched(shop, typed) == scan(shop, typed)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_search_with_a_status_pages_through_exactly_the_scans_matches_and_counts_them(
    shop: Session, data: st.DataObject
) -> None:
    # given a search text, maybe a status, a sort order and a small page
    typed = data.draw(typed_text(stored_texts(shop)))
    status = data.draw(st.sampled_from([None, *STATUSES]))
    sort = data.draw(st.sampled_from(ORDER_SORTS))
    per_page = data.draw(st.integers(1, 9))
    orders = {o.id: o for o in shop.exec(select(Order)).all()}
    expected = [i for i in scan(shop, typed) if status is None or orders[i].status == status]
    if sort == "oldest":
        expected.reverse()
    elif sort != "newest":  # by total, ties newest first (scan's order, kept by a stable sort)
        expected.sort(key=lambda i: orders[i].total_cents, reverse=sort == "total_desc")

    # when the operator follows the cursors to the last page
    wanted = OrderFilter(query=typed, status=status, sort=sort, per_page=per_page)
    pages = [search_orders(session=shop, filters=wanted)]
    while pages[-1].next_after is not None:
        after = pages[-1].next_after
        pages.append(search_orders(session=shop, filters=replace(wanted, after=after)))

    # then every match came once, in order, and every page counted all of them
    assert [row.order_id for page in pages for row in page.rows] == expected
    assert {(page.total, page.capped) for page in pages} == {(len(expected), False)}


def test_a_broad_search_counts_up_to_the_cap_and_says_there_are_more(
    shop: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cap far below the ~80 orders whose emails end in .test
    monkeypatch.setattr(admin_orders, "COUNT_CAP", 5)

    # when
    page = search_orders(session=shop, filters=OrderFilter(query=".test", per_page=3))

    # then
    assert (page.total, page.capped, page.total_label) == (5, True, "5+")
    assert [row.order_id for row in page.rows] == scan(shop, ".test")[:3]


def test_a_search_that_matches_nothing_counts_zero(shop: Session) -> None:
    page = search_orders(session=shop, filters=OrderFilter(query="zzzqqq", status="paid"))
    assert (page.rows, page.total, page.capped, page.next_after) == ([], 0, False, None)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("so-1042", "number"), ("SO-B7", "number"), ("ada@shop.test", "email"), ("smith", "text"),
     ("so-", "text"), ("ada@shop", "text")],
)  # fmt: skip
def test_what_was_typed_decides_the_lookup(typed: str, kind: str) -> None:
    assert query_kind(typed) == kind


def test_an_order_number_and_an_email_are_exact_not_partial(shop: Session) -> None:
    # given
    order = shop.exec(select(Order).where(Order.number == "SO-B1")).one()

    # then
    assert searched(shop, "so-b1") == [order.id]  # not SO-B10…
    assert searched(shop, "changed@later.test") == [1]
    assert searched(shop, "hanged@later.test") == []


def test_a_renamed_customer_is_found_by_the_new_name_only(shop: Session) -> None:
    # given
    renamed = shop.exec(select(User).where(User.name.startswith("Renamed"))).first()  # type: ignore[attr-defined]
    assert renamed is not None

    # then
    assert searched(shop, f"renamed {renamed.id}") == scan(shop, f"renamed {renamed.id}")
    assert searched(shop, f"renamed {renamed.id}") != []
    assert searched(shop, "late change") == [1]
