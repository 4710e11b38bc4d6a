"""The order console: search filters, sorting, paging, CSV export, detail, allowed actions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from shopora.errors import NotFound, ValidationFailed
from shopora.models import (
    EventKind,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    Product,
    Refund,
    User,
)
from shopora.services import admin_orders, lifecycle
from shopora.services.actors import Actor
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import (
    ACTIONS,
    OrderPage,
    order_detail,
    orders_csv,
    search_orders,
)
from shopora.services.order_rules import allowed_actions
from tests.factories import make_product, make_user

S, P = OrderStatus, PaymentStatus


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def add_order(
    session: Session,
    user: User,
    number: str,
    lines: list[tuple[Product, int]],
    *,
    placed: datetime,
    status: OrderStatus = S.PENDING,
    payment: PaymentStatus = P.UNPAID,
    refunded: int = 0,
    **extra: Any,
) -> Order:
    """An order row with consistent totals and its items (standard shipping 599)."""
    subtotal = sum(product.price_cents * quantity for product, quantity in lines)
    order = Order(
        number=number, user_id=user.id or 0, status=status, payment_status=payment,
        subtotal_cents=subtotal, shipping_cents=599, total_cents=subtotal + 599,
        refunded_cents=refunded, email=user.email, shipping_name=user.name,
        shipping_line1="1 Main St", shipping_city="Springfield", shipping_postal_code="12345",
        shipping_country="US", created_at=placed, updated_at=placed,
        paid_at=placed if payment != P.UNPAID else None,
        payment_intent_id=None if payment == P.UNPAID else f"pi_{number}", **extra,
    )  # fmt: skip
    session.add(order)
    session.flush()
    for product, quantity in lines:
        session.add(
            OrderItem(
                order_id=order.id or 0, product_id=product.id or 0, sku=product.sku,
                name=product.name, unit_price_cents=product.price_cents, quantity=quantity,
                line_total_cents=product.price_cents * quantity,
            )
        )  # fmt: skip
    session.commit()
    return order


@pytest.fixture
def orders(session: Session) -> dict[str, Order]:
    """alice: SO-1 pending, SO-2 paid, SO-5 processing (part refunded, flagged);
    bob: SO-3 shipped, SO-4 cancelled; mallory (a formula for a name): SO-6 delivered."""
    mug = make_product(session, name="Mug", price_cents=1000)
    lamp = make_product(session, name="Lamp", price_cents=4000)
    alice = make_user(session, name="Alice Smith", email="alice@example.test")
    bob = make_user(session, name="Bob Jones", email="bob@shop.test")
    mallory = make_user(session, name="=HYPERLINK(1)", email="mallory@example.test")
    return {
        "SO-1": add_order(session, alice, "SO-1", [(mug, 1)], placed=at(1)),
        "SO-2": add_order(
            session, alice, "SO-2", [(mug, 2), (lamp, 1)], placed=at(2), status=S.PAID,
            payment=P.PAID,
        ),
        "SO-3": add_order(
            session, bob, "SO-3", [(lamp, 3)], placed=at(3), status=S.SHIPPED, payment=P.PAID
        ),
        "SO-4": add_order(session, bob, "SO-4", [(mug, 1)], placed=at(4), status=S.CANCELLED),
        "SO-5": add_order(
            session, alice, "SO-5", [(lamp, 1)], placed=at(5), status=S.PROCESSING,
            payment=P.PARTIALLY_REFUNDED, refunded=599, needs_attention=True,
        ),
        "SO-6": add_order(
            session, mallory, "SO-6", [(mug, 5)], placed=at(6), status=S.DELIVERED,
            payment=P.PAID,
        ),
    }  # fmt: skip


def numbers(page: OrderPage) -> list[str]:
    return [row.number for row in page.rows]


def search(session: Session, **filters: Any) -> OrderPage:
    return search_orders(session=session, filters=OrderFilter(**filters))


# --- search ------------------------------------------------------------------------------


def test_without_filters_every_order_is_listed_newest_first(
    session: Session, orders: dict[str, Order]
) -> None:
    # when
    page = search_orders(session=session)

    # then
    assert numbers(page) == ["SO-6", "SO-5", "SO-4", "SO-3", "SO-2", "SO-1"]
    assert page.total == 6
    row = next(row for row in page.rows if row.number == "SO-2")
    assert (row.customer_name, row.email, row.items) == ("Alice Smith", "alice@example.test", 3)
    assert (row.status, row.payment_status, row.total_cents) == ("paid", "paid", 6599)
    assert row.paid_at == at(2)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "shipped"}, ["SO-3"]),
        ({"payment_status": "paid"}, ["SO-6", "SO-3", "SO-2"]),
        ({"payment_status": "partially_refunded"}, ["SO-5"]),
        ({"date_from": at(2), "date_to": at(4)}, ["SO-3", "SO-2"]),  # half-open
        ({"date_from": at(5)}, ["SO-6", "SO-5"]),
        ({"needs_attention": True}, ["SO-5"]),
        ({"needs_attention": False, "status": "pending"}, ["SO-1"]),
        ({"query": "so-4"}, ["SO-4"]),
        ({"query": "SHOP.TEST"}, ["SO-4", "SO-3"]),
        ({"query": "smith"}, ["SO-5", "SO-2", "SO-1"]),
        ({"query": "  bob JONES "}, ["SO-4", "SO-3"]),
        ({"query": "%"}, []),
        ({"query": "smith", "status": "paid"}, ["SO-2"]),
    ],
)
def test_filters_narrow_the_list(
    session: Session, orders: dict[str, Order], filters: dict[str, Any], expected: list[str]
) -> None:
    # when
    page = search(session, **filters)

    # then
    assert numbers(page) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("oldest", ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6"]),
        # totals: SO-3 12599, SO-2 6599, SO-6 5599, SO-5 4599, SO-4 1599, SO-1 1599 (newer first)
        ("total_desc", ["SO-3", "SO-2", "SO-6", "SO-5", "SO-4", "SO-1"]),
        ("total_asc", ["SO-4", "SO-1", "SO-5", "SO-6", "SO-2", "SO-3"]),
    ],
)
def test_sort_orders(
    session: Session, orders: dict[str, Order], sort: str, expected: list[str]
) -> None:
    assert numbers(search(session, sort=sort)) == expected


def test_pages_hold_per_page_rows_and_count_every_match(
    session: Session, orders: dict[str, Order]
) -> None:
    # when
    first = search(session, per_page=4)
    second = search(session, per_page=4, after=first.next_after)

    # then
    assert numbers(first) == ["SO-6", "SO-5", "SO-4", "SO-3"]
    assert numbers(second) == ["SO-2", "SO-1"]
    assert (second.total, second.pages, second.next_after) == (6, 2, None)


@pytest.mark.parametrize("sort", ["newest", "oldest", "total_desc", "total_asc"])
def test_following_the_cursors_walks_every_order_once_in_sort_order(
    session: Session, orders: dict[str, Order], sort: str
) -> None:
    # given
    everything = numbers(search(session, sort=sort))

    # when
    walked, after = [], None
    while True:
        page = search(session, sort=sort, per_page=2, after=after)
        walked += numbers(page)
        if page.next_after is None:
            break
        after = page.next_after

    # then
    assert walked == everything


def test_a_count_past_the_cap_says_so(
    monkeypatch: pytest.MonkeyPatch, session: Session, orders: dict[str, Order]
) -> None:
    # given
    monkeypatch.setattr(admin_orders, "COUNT_CAP", 4)

    # when
    page = search(session, per_page=2)

    # then
    assert (page.total, page.capped, page.total_label) == (4, True, "4+")
    assert numbers(page) == ["SO-6", "SO-5"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"payment_status": "free"}, "payment_status"),
        ({"date_from": datetime(2026, 3, 1)}, "date_from"),
        ({"date_from": at(3), "date_to": at(3)}, "date_to"),
        ({"sort": "random"}, "sort"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "WzFd"}, "after"),  # a list of one value, for a sort of two keys
        ({"per_page": 0}, "per_page"),
        ({"per_page": 201}, "per_page"),
        ({"query": "x" * 201}, "query"),
    ],
)
def test_impossible_filters_are_refused_naming_the_field(
    session: Session, filters: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        search(session, **filters)
    assert refused.value.field == field


# --- CSV ----------------------------------------------------------------------------------


def test_the_csv_holds_every_matching_order_not_only_one_page(
    session: Session, orders: dict[str, Order]
) -> None:
    # when
    text = orders_csv(session=session, filters=OrderFilter(per_page=2, sort="oldest"))

    # then
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["number"] for row in rows] == ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6"]
    assert rows[1]["total_cents"] == "6599"
    assert rows[1]["items"] == "3"
    assert rows[1]["paid_at"] == "2026-03-02T12:00:00+00:00"
    assert rows[0]["paid_at"] == ""
    assert rows[4]["needs_attention"] == "yes"


def test_the_csv_defuses_spreadsheet_formulas_typed_by_customers(
    session: Session, orders: dict[str, Order]
) -> None:
    # when
    text = orders_csv(session=session, filters=OrderFilter(status="delivered"))

    # then
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["customer_name"] == "'=HYPERLINK(1)"


def test_the_csv_of_no_orders_is_just_the_header(session: Session) -> None:
    assert orders_csv(session=session).splitlines() == [
        "number,created_at,paid_at,customer_name,email,status,payment_status,items,"
        "total_cents,refunded_cents,currency,needs_attention"
    ]


# --- detail -------------------------------------------------------------------------------


def test_the_detail_shows_items_timeline_refunds_and_the_customer(
    session: Session, orders: dict[str, Order]
) -> None:
    # given
    order = orders["SO-5"]
    session.add(Refund(order_id=order.id or 0, stripe_refund_id="re_1", amount_cents=599))
    lifecycle.record_event(session, order, EventKind.NOTE, Actor("ops"), note="Call")
    session.commit()

    # when
    detail = order_detail(session=session, order_id=order.id or 0)

    # then
    assert detail.order.number == "SO-5"
    assert [(item.name, item.quantity) for item in detail.items] == [("Lamp", 1)]
    assert [(event.kind, event.note) for event in detail.events] == [("note", "Call")]
    assert [refund.amount_cents for refund in detail.refunds] == [599]
    customer = detail.customer
    assert (customer.name, customer.email, customer.order_count) == (
        "Alice Smith", "alice@example.test", 3,
    )  # fmt: skip
    # SO-2 6599 + SO-5 (4599 − 599); the pending SO-1 is not a sale
    assert (customer.paid_orders, customer.lifetime_value_cents) == (2, 6599 + 4000)
    assert detail.allowed == {"add_note", "ship", "refund", "resolve_attention"}


def test_the_detail_of_an_unknown_order_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        order_detail(session=session, order_id=999)


# --- allowed actions ----------------------------------------------------------------------


def an_order(status: S, payment: P, refunded: int = 0, attention: bool = False) -> Order:
    return Order(
        number="SO-X", user_id=1, status=status, payment_status=payment, subtotal_cents=1000,
        total_cents=1000, refunded_cents=refunded, needs_attention=attention, email="a@b.test",
        shipping_name="A", shipping_line1="1", shipping_city="C", shipping_postal_code="123",
        shipping_country="US", payment_intent_id=None if payment == P.UNPAID else "pi_test_1",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "payment", "refunded", "expected"),
    [
        (S.PENDING, P.UNPAID, 0, {"cancel"}),
        (S.PAID, P.PAID, 0, {"start_processing", "cancel_with_refund", "refund"}),
        (S.PAID, P.PARTIALLY_REFUNDED, 100, {"start_processing", "refund"}),
        (S.PROCESSING, P.PAID, 0, {"ship", "cancel_with_refund", "refund"}),
        (S.PROCESSING, P.PARTIALLY_REFUNDED, 100, {"ship", "refund"}),
        (S.PROCESSING, P.REFUNDED, 1000, {"ship"}),
        (S.SHIPPED, P.PAID, 0, {"deliver", "refund"}),
        (S.SHIPPED, P.PARTIALLY_REFUNDED, 999, {"deliver", "refund"}),
        (S.DELIVERED, P.PAID, 0, {"refund"}),
        (S.DELIVERED, P.REFUNDED, 1000, set()),
        (S.CANCELLED, P.UNPAID, 0, set()),
        (S.CANCELLED, P.REFUNDED, 1000, set()),
    ],
)
def test_allowed_actions_follow_status_and_payment(
    status: S, payment: P, refunded: int, expected: set[str]
) -> None:
    # when
    allowed = allowed_actions(an_order(status, payment, refunded))

    # then: a note is always possible
    assert allowed == {"add_note", *expected}


@pytest.mark.parametrize("status", list(S))
def test_a_flagged_order_can_always_be_resolved(status: S) -> None:
    allowed = allowed_actions(an_order(status, P.UNPAID, attention=True))
    assert "resolve_attention" in allowed
    assert allowed <= ACTIONS


@pytest.mark.parametrize("status", list(S))
def test_allowed_status_moves_are_transitions_the_lifecycle_permits(status: S) -> None:
    # given
    moves = {"start_processing": S.PROCESSING, "ship": S.SHIPPED, "deliver": S.DELIVERED}
    moves |= {"cancel": S.CANCELLED, "cancel_with_refund": S.CANCELLED}

    # when
    allowed = allowed_actions(an_order(status, P.PAID if status != S.PENDING else P.UNPAID))

    # then
    for action in allowed & moves.keys():
        assert moves[action] in lifecycle.TRANSITIONS[status]
