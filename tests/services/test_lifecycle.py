"""Order status changes: only the transition table's moves, each through a named action
that writes an OrderEvent; anything else is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from shopora.errors import IllegalTransition, NotFound, ValidationFailed
from shopora.models import (
    CartItem,
    EventKind,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentStatus,
    Product,
    ReservationStatus,
    Role,
    StockReservation,
    VerifiedVia,
)
from shopora.models.base import utcnow
from shopora.services import lifecycle
from shopora.services.actors import Actor
from shopora.services.orders import place_order
from shopora.services.shipping import ShippingAddress
from tests.factories import make_product, make_user

S = OrderStatus
ADDRESS = ShippingAddress(
    name="Ada Lovelace", line1="1 Main St", city="Springfield", postal_code="12345", country="US"
)
STRIPE = Actor.stripe()


@pytest.fixture
def operator(session: Session) -> Actor:
    user = make_user(session, role=Role.OPERATOR)
    return Actor(user.username, user.id)


@pytest.fixture
def product(session: Session) -> Product:
    return make_product(session, stock_on_hand=20, price_cents=2000)


def given_pending_order(session: Session, product: Product, quantity: int = 2) -> Order:
    customer = make_user(session)
    session.add(CartItem(user_id=customer.id or 0, product_id=product.id or 0, quantity=quantity))
    session.commit()
    return place_order(session=session, user_id=customer.id or 0, shipping=ADDRESS)


def pay(session: Session, order: Order) -> None:
    lifecycle.mark_paid(
        session,
        order,
        STRIPE,
        via=VerifiedVia.WEBHOOK,
        session_id="cs_test_123",
        payment_intent_id="pi_123",
        amount_cents=order.total_cents,
        paid_at=utcnow(),
    )
    session.commit()


# How to bring an order to each status through the named actions.
_PATH = [S.PENDING, S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED]


def given_order_in(session: Session, product: Product, status: OrderStatus) -> Order:
    order = given_pending_order(session, product)
    actor, order_id = Actor.system(), order.id or 0
    if status == S.CANCELLED:
        lifecycle.cancel_pending(session, order, actor, reason="given")
        session.commit()
        return order
    steps = _PATH[1 : _PATH.index(status) + 1]
    for step in steps:
        if step == S.PAID:
            pay(session, order)
        elif step == S.PROCESSING:
            order = lifecycle.start_processing(session=session, order_id=order_id, actor=actor)
        elif step == S.SHIPPED:
            order = lifecycle.ship(
                session=session,
                order_id=order_id,
                actor=actor,
                carrier="UPS",
                tracking_number="1Z999AA10123456784",
            )
        else:
            order = lifecycle.deliver(session=session, order_id=order_id, actor=actor)
    assert order.status == status
    return order


def events_of(session: Session, order: Order) -> list[OrderEvent]:
    return lifecycle.events(session=session, order_id=order.id or 0)


def reserved_of(session: Session, product: Product) -> int:
    found = session.get(Product, product.id, populate_existing=True)
    assert found is not None
    return found.reserved


def reloaded(session: Session, order: Order) -> Order:
    found = session.get(Order, order.id, populate_existing=True)
    assert found is not None
    return found


# --- the transition table ----------------------------------------------------------------

Action = Callable[[Session, Order, Actor], Any]


def _mark_paid(session: Session, order: Order, actor: Actor) -> None:
    lifecycle.mark_paid(
        session,
        order,
        actor,
        via=VerifiedVia.RETURN_PAGE,
        session_id="cs_test_again",
        payment_intent_id="pi_again",
        amount_cents=order.total_cents,
        paid_at=utcnow(),
    )


def _cancel_pending(session: Session, order: Order, actor: Actor) -> None:
    lifecycle.cancel_pending(session, order, actor, reason="customer asked")


def _cancel_refunded(session: Session, order: Order, actor: Actor) -> None:
    lifecycle.cancel_refunded(session, order, actor, note="refunded in full")


ACTIONS: dict[str, Action] = {
    "mark_paid": _mark_paid,
    "start_processing": lambda s, o, a: lifecycle.start_processing(
        session=s, order_id=o.id or 0, actor=a
    ),
    "ship": lambda s, o, a: lifecycle.ship(
        session=s, order_id=o.id or 0, actor=a, carrier="DHL", tracking_number="JD0146000012345"
    ),
    "deliver": lambda s, o, a: lifecycle.deliver(session=s, order_id=o.id or 0, actor=a),
    "cancel_pending": _cancel_pending,
    "cancel_refunded": _cancel_refunded,
}
# (action, from status) -> (to status, event kind): the only legal moves.
LEGAL: dict[tuple[str, OrderStatus], tuple[OrderStatus, EventKind]] = {
    ("mark_paid", S.PENDING): (S.PAID, EventKind.PAID),
    ("start_processing", S.PAID): (S.PROCESSING, EventKind.PROCESSING),
    ("ship", S.PROCESSING): (S.SHIPPED, EventKind.SHIPPED),
    ("deliver", S.SHIPPED): (S.DELIVERED, EventKind.DELIVERED),
    ("cancel_pending", S.PENDING): (S.CANCELLED, EventKind.CANCELLED),
    ("cancel_refunded", S.PAID): (S.CANCELLED, EventKind.CANCELLED),
    ("cancel_refunded", S.PROCESSING): (S.CANCELLED, EventKind.CANCELLED),
}
ALL_MOVES = [(action, status) for action in ACTIONS for status in OrderStatus]


def given_order_for(session: Session, product: Product, action: str, status: S) -> Order:
    order = given_order_in(session, product, status)
    if action == "cancel_refunded":
        # The refund itself belongs to the payments module; only its outcome matters here.
        order.payment_status = PaymentStatus.REFUNDED
        session.add(order)
        session.commit()
    return order


@pytest.mark.parametrize(
    ("action", "status"), [move for move in ALL_MOVES if move in LEGAL], ids=str
)
def test_a_legal_move_changes_the_status_and_writes_an_event(
    session: Session, product: Product, operator: Actor, action: str, status: S
) -> None:
    # given
    order = given_order_for(session, product, action, status)
    before = len(events_of(session, order))

    # when
    ACTIONS[action](session, order, operator)
    session.commit()

    # then
    to, kind = LEGAL[(action, status)]
    assert reloaded(session, order).status == to
    written = events_of(session, order)
    assert len(written) == before + 1
    event = written[-1]
    assert (event.kind, event.from_status, event.to_status) == (kind, status, to)
    assert (event.actor, event.actor_user_id) == (operator.name, operator.user_id)


@pytest.mark.parametrize(
    ("action", "status"), [move for move in ALL_MOVES if move not in LEGAL], ids=str
)
def test_an_illegal_move_is_refused_and_changes_nothing(
    session: Session, product: Product, operator: Actor, action: str, status: S
) -> None:
    # given
    order = given_order_for(session, product, action, status)
    snapshot = reloaded(session, order).model_dump()
    before = len(events_of(session, order))

    # when
    with pytest.raises(IllegalTransition):
        ACTIONS[action](session, order, operator)
    session.commit()  # a caller that carries on (e.g. flags the order) commits its session

    # then
    assert reloaded(session, order).model_dump() == snapshot
    assert len(events_of(session, order)) == before


def test_every_status_has_a_row_in_the_transition_table() -> None:
    assert set(lifecycle.TRANSITIONS) == set(OrderStatus)
    assert {to for to, _ in LEGAL.values()} <= set(OrderStatus)
    for (_, status), (to, _) in LEGAL.items():
        assert to in lifecycle.TRANSITIONS[status]


# --- mark_paid ---------------------------------------------------------------------------


def test_marking_paid_records_the_payment(session: Session, product: Product) -> None:
    # given
    order = given_pending_order(session, product)
    paid_at = utcnow()

    # when
    lifecycle.mark_paid(
        session,
        order,
        STRIPE,
        via=VerifiedVia.WEBHOOK,
        session_id="cs_test_abc",
        payment_intent_id="pi_abc",
        amount_cents=order.total_cents,
        paid_at=paid_at,
    )
    session.commit()

    # then
    paid = reloaded(session, order)
    assert paid.status == S.PAID
    assert paid.payment_status == PaymentStatus.PAID
    assert (paid.payment_intent_id, paid.amount_paid_cents) == ("pi_abc", order.total_cents)
    assert (paid.paid_at, paid.verified_via) == (paid_at, VerifiedVia.WEBHOOK)
    event = events_of(session, order)[-1]
    assert event.actor == "stripe"
    assert event.data == {
        "session_id": "cs_test_abc",
        "payment_intent": "pi_abc",
        "amount": order.total_cents,
        "currency": "usd",
        "via": "webhook",
    }


# --- ship --------------------------------------------------------------------------------


def test_shipping_stores_the_carrier_and_tracking_number(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    order = given_order_in(session, product, S.PROCESSING)

    # when
    lifecycle.ship(
        session=session,
        order_id=order.id or 0,
        actor=operator,
        carrier="  Royal Mail ",
        tracking_number=" AB123456789GB ",
    )

    # then
    shipped = reloaded(session, order)
    assert (shipped.carrier, shipped.tracking_number) == ("Royal Mail", "AB123456789GB")
    assert shipped.shipped_at is not None
    assert events_of(session, order)[-1].data == {
        "carrier": "Royal Mail",
        "tracking_number": "AB123456789GB",
    }


@pytest.mark.parametrize(
    ("carrier", "tracking", "field"),
    [
        ("", "1Z999AA10123456784", "carrier"),
        ("  U ", "1Z999AA10123456784", "carrier"),
        ("C" * 61, "1Z999AA10123456784", "carrier"),
        ("UPS", "", "tracking_number"),
        ("UPS", "1Z9", "tracking_number"),
        ("UPS", "-1Z999AA1012", "tracking_number"),
        ("UPS", "1Z999#AA1012", "tracking_number"),
        ("UPS", "1" * 41, "tracking_number"),
    ],
)
def test_shipping_without_a_valid_carrier_and_tracking_number_is_refused(
    session: Session, product: Product, operator: Actor, carrier: str, tracking: str, field: str
) -> None:
    # given
    order = given_order_in(session, product, S.PROCESSING)

    # when
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.ship(
            session=session,
            order_id=order.id or 0,
            actor=operator,
            carrier=carrier,
            tracking_number=tracking,
        )

    # then
    assert refused.value.field == field
    unchanged = reloaded(session, order)
    assert (unchanged.status, unchanged.carrier, unchanged.tracking_number) == (
        S.PROCESSING,
        None,
        None,
    )


def test_actions_on_an_unknown_order_are_not_found(session: Session, operator: Actor) -> None:
    with pytest.raises(NotFound):
        lifecycle.deliver(session=session, order_id=999_999, actor=operator)


# --- cancelling --------------------------------------------------------------------------


def test_cancelling_a_pending_order_releases_its_hold(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    order = given_pending_order(session, product, quantity=3)
    assert reserved_of(session, product) == 3

    # when
    lifecycle.cancel_pending(session, order, operator, reason="Customer changed their mind")
    session.commit()

    # then
    cancelled = reloaded(session, order)
    assert (cancelled.status, cancelled.cancelled_at is not None) == (S.CANCELLED, True)
    assert events_of(session, order)[-1].note == "Customer changed their mind"
    assert reserved_of(session, product) == 0
    hold = session.exec(select(StockReservation).where(StockReservation.order_id == order.id)).one()
    assert hold.status == ReservationStatus.RELEASED


@pytest.mark.parametrize("payment_status", [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED])
def test_a_paid_order_is_not_cancelled_without_a_full_refund(
    session: Session, product: Product, operator: Actor, payment_status: PaymentStatus
) -> None:
    # given
    order = given_order_in(session, product, S.PAID)
    order.payment_status = payment_status
    session.add(order)
    session.commit()

    # when
    with pytest.raises(IllegalTransition):
        lifecycle.cancel_refunded(session, order, operator, note="refund")
    session.rollback()

    # then
    assert reloaded(session, order).status == S.PAID


def test_a_refunded_order_is_cancelled_with_the_note(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    order = given_order_for(session, product, "cancel_refunded", S.PROCESSING)

    # when
    lifecycle.cancel_refunded(session, order, operator, note="Refunded: damaged in transit")
    session.commit()

    # then
    cancelled = reloaded(session, order)
    assert (cancelled.status, cancelled.cancelled_at is not None) == (S.CANCELLED, True)
    assert events_of(session, order)[-1].note == "Refunded: damaged in transit"


# --- bulk, notes, attention --------------------------------------------------------------


def test_bulk_deliver_marks_shipped_orders_and_refuses_the_rest(
    session: Session, product: Product, operator: Actor
) -> None:
    # given a shipped order and a paid one
    shipped = given_order_in(session, product, S.SHIPPED)
    paid = given_order_in(session, product, S.PAID)

    # when both are marked delivered in bulk
    moved, refused = lifecycle.bulk_deliver(
        session=session, order_ids=[shipped.id or 0, paid.id or 0], actor=operator
    )

    # then the shipped one is delivered and the paid one is refused, unchanged
    assert moved == [shipped.number] and paid.number in refused[0]
    assert reloaded(session, shipped).status == S.DELIVERED
    assert reloaded(session, paid).status == S.PAID


def test_bulk_start_processing_reports_what_moved_and_what_was_refused(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    first = given_order_in(session, product, S.PAID)
    second = given_order_in(session, product, S.PAID)
    pending = given_pending_order(session, product)

    # when
    moved, refused = lifecycle.bulk_start_processing(
        session=session,
        order_ids=[first.id or 0, pending.id or 0, 999_999, second.id or 0],
        actor=operator,
    )

    # then
    assert moved == [first.number, second.number]
    assert len(refused) == 2
    assert pending.number in refused[0]
    assert "999999" in refused[1]
    assert reloaded(session, first).status == S.PROCESSING
    assert reloaded(session, second).status == S.PROCESSING
    assert reloaded(session, pending).status == S.PENDING


def test_a_note_is_added_to_the_timeline(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    order = given_pending_order(session, product)

    # when
    lifecycle.add_note(
        session=session, order_id=order.id or 0, actor=operator, note="  Called the customer "
    )

    # then
    note = events_of(session, order)[-1]
    assert (note.kind, note.note) == (EventKind.NOTE, "Called the customer")
    assert (note.actor, note.actor_user_id) == (operator.name, operator.user_id)
    assert (note.from_status, note.to_status) == (None, None)
    assert reloaded(session, order).status == S.PENDING


def test_a_blank_note_is_refused(session: Session, product: Product, operator: Actor) -> None:
    order = given_pending_order(session, product)

    with pytest.raises(ValidationFailed) as refused:
        lifecycle.add_note(session=session, order_id=order.id or 0, actor=operator, note="  ")

    assert refused.value.field == "note"


def test_an_order_flagged_for_attention_can_be_resolved(
    session: Session, product: Product, operator: Actor
) -> None:
    # given
    order = given_pending_order(session, product)
    lifecycle.flag_attention(session, order, STRIPE, reason="Amount mismatch")
    lifecycle.flag_attention(session, order, STRIPE, reason="Paid after expiry")
    session.commit()
    assert reloaded(session, order).attention_reason == "Amount mismatch\nPaid after expiry"

    # when
    lifecycle.resolve_attention(
        session=session, order_id=order.id or 0, actor=operator, note="refunded"
    )

    # then
    assert reloaded(session, order).needs_attention is False
    kinds = [event.kind for event in events_of(session, order)]
    assert kinds[-3:] == [EventKind.NEEDS_ATTENTION, EventKind.NEEDS_ATTENTION, EventKind.NOTE]
