"""Seeding the demo database, and the demo order history it writes, on SQLite and PostgreSQL.

Most checks read one history seeded per database backend (module scope): a full history takes
about a second, so each test seeding its own would make this file slow.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import bcrypt
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col, func, select

from shopora.db import build_engine, migrate
from shopora.history import SHOPPER_PASSWORD, generate_history
from shopora.models import (
    Category,
    DiscountCode,
    DiscountRedemption,
    EventKind,
    InventoryMovement,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    Product,
    Refund,
    ReservationStatus,
    Role,
    ShippingMethod,
    StockReservation,
    User,
)
from shopora.seed import SEED_FILE, SeedReport, load_seed, seed_database
from shopora.services.discounts import rule_of
from shopora.services.pricing import Line, compute_totals, shipping_cost
from shopora.services.shipping import shipping_rates
from tests.factories import make_user

ModelT = TypeVar("ModelT", bound=SQLModel)
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
SEED = load_seed()
STOCK = {p["sku"]: p["stock"] for p in SEED["products"]}


def cheap_bcrypt(rounds: int = 4) -> Any:
    """bcrypt at its lowest cost, so seeds inside tests stay fast (the hashes still verify)."""
    gensalt = bcrypt.gensalt
    return lambda: gensalt(rounds=rounds)


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bcrypt, "gensalt", cheap_bcrypt())


@contextmanager
def fresh_database(request: pytest.FixtureRequest, backend: str, *, own: bool) -> Iterator[Engine]:
    """A clean migrated database: a copy of the SQLite template; on PostgreSQL a database of
    its own (`own`, dropped afterwards) or this run's shared one, emptied with ids reset."""
    if backend == "sqlite":
        path = request.getfixturevalue("tmp_path_factory").mktemp("seeded") / "shop.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    elif not own:
        url = request.getfixturevalue("postgres_url")
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with build_engine(url).begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        with own_postgres_database(request.getfixturevalue("postgres_url")) as url:
            engine = build_engine(url)
            yield engine
            engine.dispose()
        return
    engine = build_engine(url)
    yield engine
    engine.dispose()


@contextmanager
def own_postgres_database(run_url: str) -> Iterator[str]:
    name = f"shopora_seed_{uuid.uuid4().hex[:10]}"
    admin = build_engine(run_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(run_url).set(database=name).render_as_string(hide_password=False)
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seeded(engine: Engine) -> SeedReport:
    with Session(engine, expire_on_commit=False) as session:
        return seed_database(session=session, now=NOW)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def history_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """One database per backend, seeded once with the full history, for read-only checks."""
    with (
        fresh_database(request, request.param, own=True) as engine,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setattr(bcrypt, "gensalt", cheap_bcrypt())
        report = seeded(engine)
        mp.undo()
        # Shown with `pytest -s`; timed loosely, never asserted.
        print(f"\n[{request.param}] {report}")
        yield engine


@pytest.fixture
def db(history_engine: Engine) -> Iterator[Session]:
    with Session(history_engine) as session:
        yield session


def rows(session: Session, model: type[ModelT]) -> list[ModelT]:
    return list(session.exec(select(model)).all())


def table_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.exec(select(func.count()).select_from(table)).one()
        for table in SQLModel.metadata.sorted_tables
    }


def by_order(session: Session, model: type[ModelT]) -> dict[int, list[ModelT]]:
    grouped: dict[int, list[ModelT]] = defaultdict(list)
    for row in rows(session, model):
        grouped[row.order_id].append(row)  # type: ignore[attr-defined]
    return grouped


# --- the seed file and the catalog --------------------------------------------------------


def test_the_seed_file_holds_catalog_users_and_codes() -> None:
    data = load_seed(SEED_FILE)

    assert len(data["categories"]) == 6
    assert len(data["products"]) == 20
    assert {u["role"] for u in data["users"]} == {r.value for r in Role}


def test_a_seed_file_without_products_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"categories": [], "users": [], "discount_codes": []}))

    with pytest.raises(ValueError, match="products"):
        load_seed(path)


def test_a_seed_that_fails_half_way_leaves_nothing_behind(session: Session, tmp_path: Path) -> None:
    broken = load_seed()
    broken["products"] = [*broken["products"], {**broken["products"][0], "category": "nope"}]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(broken))
    before = table_counts(session)  # the migration's own rows (this install's id) stay

    with pytest.raises(ValueError, match="unknown category"):
        seed_database(session=session, path=path, now=NOW)

    assert table_counts(session) == before


def test_seeding_without_history_creates_catalog_users_and_codes_but_no_orders(
    session: Session,
) -> None:
    report = seed_database(session=session, history=False, now=NOW)

    counts = table_counts(session)
    assert (report.categories, report.products, report.users, report.discount_codes) == (
        6,
        20,
        3,
        5,
    )
    assert (counts["categories"], counts["products"], counts["users"]) == (6, 20, 3)
    assert counts["discount_codes"] == 5
    assert counts["orders"] == 0
    assert report.history is None and "not requested" in str(report)


def test_seeded_catalog_keeps_file_order_images_and_stock(session: Session) -> None:
    seed_database(session=session, history=False, now=NOW)

    categories = session.exec(select(Category).order_by(col(Category.position))).all()
    assert [c.slug for c in categories] == [c["slug"] for c in SEED["categories"]]
    products = {p.sku: p for p in rows(session, Product)}
    for item in SEED["products"]:
        product = products[item["sku"]]
        assert product.image == item["image"] and product.image.startswith("images/")
        assert (product.stock_on_hand, product.reserved) == (item["stock"], 0)
    assert ledger_by_sku(session) == {sku: n for sku, n in STOCK.items() if n}


def test_discount_code_windows_are_relative_to_seeding_time(session: Session) -> None:
    seed_database(session=session, history=False, now=NOW)

    codes = {c.code: c for c in rows(session, DiscountCode)}
    expired = codes["EXPIRED"]
    assert expired.starts_at == NOW - timedelta(days=60)
    assert expired.ends_at == NOW - timedelta(days=30)
    assert codes["WELCOME10"].starts_at is None and codes["WELCOME10"].ends_at is None
    assert codes["LIMITED"].max_redemptions == 3 and codes["LIMITED"].once_per_customer


def test_seeding_twice_changes_nothing(db: Session) -> None:
    before = table_counts(db)

    again = seed_database(session=db, now=NOW + timedelta(days=1))

    assert again.already_seeded and str(again) == "Database already seeded: nothing changed."
    assert table_counts(db) == before


def test_history_is_skipped_on_a_database_that_already_has_orders(session: Session) -> None:
    given_an_unrelated_order(session)

    report = seed_database(session=session, now=NOW)

    assert report.history is None and report.history_skipped
    assert table_counts(session)["orders"] == 1
    assert ledger_by_sku(session) == {sku: n for sku, n in STOCK.items() if n}


def test_the_history_refuses_a_database_that_has_orders(session: Session) -> None:
    given_an_unrelated_order(session)

    with pytest.raises(ValueError, match="orders"):
        generate_history(session, now=NOW)


def test_two_fresh_databases_get_the_same_history(
    request: pytest.FixtureRequest, db: Session
) -> None:
    backend = db.get_bind().dialect.name

    with fresh_database(request, backend, own=False) as other:
        seeded(other)
        with Session(other) as session:
            assert fingerprint(session) == fingerprint(db)


# --- the history --------------------------------------------------------------------------


def test_history_has_several_hundred_orders_in_every_status(db: Session) -> None:
    statuses = Counter(order.status for order in rows(db, Order))

    assert 300 <= sum(statuses.values()) <= 500
    assert set(statuses) == set(OrderStatus)
    assert statuses[OrderStatus.DELIVERED] > sum(statuses.values()) / 2


def test_history_adds_forty_customers_who_sign_in_with_the_shopper_password(
    db: Session,
) -> None:
    customers = [u for u in rows(db, User) if u.email.endswith("@example.com")]

    assert len(customers) == 40
    assert all(u.email == f"{u.username}@example.com" and "." in u.username for u in customers)
    assert all(u.role == Role.CUSTOMER for u in customers)
    assert len({u.password_hash for u in customers}) == 1
    assert bcrypt.checkpw(SHOPPER_PASSWORD.encode(), customers[0].password_hash.encode())


def test_demo_passwords_verify_with_bcrypt(db: Session) -> None:
    users = {u.username: u for u in rows(db, User)}

    for item in SEED["users"]:
        user = users[item["username"]]
        assert user.role == item["role"]
        assert bcrypt.checkpw(item["password"].encode(), user.password_hash.encode())
        assert not bcrypt.checkpw(b"wrong-password1", user.password_hash.encode())


def test_order_totals_add_up_and_match_their_items(db: Session) -> None:
    items = by_order(db, OrderItem)
    codes = {c.code: c for c in rows(db, DiscountCode)}

    for order in rows(db, Order):
        lines = [Line(i.unit_price_cents, i.quantity) for i in items[order.id or 0]]
        assert all(
            i.line_total_cents == i.unit_price_cents * i.quantity for i in items[order.id or 0]
        )
        code = codes[order.discount_code] if order.discount_code else None
        expected = compute_totals(
            lines,
            method=order.shipping_method,  # type: ignore[arg-type]
            rates=shipping_rates(),
            discount=rule_of(code) if code else None,
        )
        assert (
            order.subtotal_cents,
            order.discount_cents,
            order.shipping_cents,
            order.total_cents,
        ) == (
            expected.subtotal_cents,
            expected.discount_cents,
            expected.shipping_cents,
            expected.total_cents,
        ), order.number
        assert 1 <= len(lines) <= 4


def test_codes_keep_their_rules_and_limited_ones_are_untouched(db: Session) -> None:
    orders = rows(db, Order)
    codes = {c.code: c for c in rows(db, DiscountCode)}
    redemptions = Counter(r.discount_code_id for r in rows(db, DiscountRedemption))
    paid_with = Counter(o.discount_code for o in orders if o.paid_at and o.discount_code)

    assert {o.discount_code for o in orders} - {None} <= {"WELCOME10", "SAVE15", "FREESHIP"}
    assert all(o.subtotal_cents >= 10000 for o in orders if o.discount_code == "SAVE15")
    assert all(o.shipping_cents == 0 for o in orders if o.discount_code == "FREESHIP")
    for code in codes.values():
        assert code.redemption_count == redemptions[code.id] == paid_with[code.code]
    assert codes["LIMITED"].redemption_count == codes["EXPIRED"].redemption_count == 0


def test_a_redemption_counts_what_the_code_was_worth_as_fulfilment_does(db: Session) -> None:
    orders = {o.id: o for o in rows(db, Order)}
    codes = {c.id: c.code for c in rows(db, DiscountCode)}
    given = [
        (codes[r.discount_code_id], r, orders[r.order_id]) for r in rows(db, DiscountRedemption)
    ]

    for code, redemption, order in given:
        waived = shipping_cost(
            ShippingMethod(order.shipping_method),
            shipping_rates(),
            after_discount_cents=order.subtotal_cents - order.discount_cents,
            free=False,
        )
        worth = waived if code == "FREESHIP" else order.discount_cents
        assert redemption.amount_cents == worth, order.number
    assert sum(r.amount_cents for code, r, _ in given if code == "FREESHIP") > 0


def test_every_paid_order_has_payment_references_and_a_paid_event(db: Session) -> None:
    events = by_order(db, OrderEvent)
    paid = [o for o in rows(db, Order) if o.payment_status != PaymentStatus.UNPAID]
    usernames = {u.id: u.username for u in rows(db, User)}
    customer = {o.id: usernames[o.user_id] for o in paid}

    assert len(paid) > 300
    for order in paid:
        assert order.stripe_session_id and order.stripe_session_id.startswith("cs_test_demo_")
        assert order.payment_intent_id and order.payment_intent_id.startswith("pi_demo_")
        assert order.amount_paid_cents == order.total_cents
        assert order.verified_via in ("webhook", "return_page") and order.checkout_attempt == 1
        [event] = [e for e in events[order.id or 0] if e.kind == EventKind.PAID]
        assert (event.from_status, event.to_status) == ("pending", "paid")
        assert event.actor == ("stripe" if order.verified_via == "webhook" else customer[order.id])
        assert event.data["session_id"] == order.stripe_session_id
        assert event.data["amount"] == order.total_cents
    assert len({o.stripe_session_id for o in paid}) == len(paid)


def test_order_numbers_follow_the_ids(db: Session) -> None:
    orders = sorted(rows(db, Order), key=lambda o: o.id or 0)

    assert all(o.number == f"SO-{10000 + (o.id or 0)}" for o in orders)
    assert [o.created_at for o in orders] == sorted(o.created_at for o in orders)


def test_every_step_has_its_timestamp_and_event_in_time_order(db: Session) -> None:
    events = by_order(db, OrderEvent)
    steps = (
        ("paid_at", EventKind.PAID),
        ("processing_at", EventKind.PROCESSING),
        ("shipped_at", EventKind.SHIPPED),
        ("delivered_at", EventKind.DELIVERED),
        ("cancelled_at", EventKind.CANCELLED),
    )
    for order in rows(db, Order):
        trail = sorted(events[order.id or 0], key=lambda e: (e.created_at, e.id or 0))
        assert trail[0].kind == EventKind.PLACED and trail[0].created_at == order.created_at
        assert trail[-1].created_at <= order.updated_at <= NOW
        kinds = [e.kind for e in trail]
        for attribute, kind in steps:
            at = getattr(order, attribute)
            assert (at is not None) == (kind in kinds), (order.number, attribute)
        transitions = [e for e in trail if e.to_status]
        assert transitions[-1].to_status == order.status, order.number
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert after.from_status == before.to_status, order.number


def test_shipped_orders_carry_a_carrier_and_tracking_number(db: Session) -> None:
    events = by_order(db, OrderEvent)
    shipped = [o for o in rows(db, Order) if o.shipped_at]

    assert shipped
    for order in shipped:
        assert order.carrier in ("UPS", "USPS", "FedEx", "DHL") and order.tracking_number
        [event] = [e for e in events[order.id or 0] if e.kind == EventKind.SHIPPED]
        assert event.data == {"carrier": order.carrier, "tracking_number": order.tracking_number}
        assert order.paid_at and order.processing_at
        assert order.paid_at < order.processing_at < order.shipped_at


def test_refunds_are_mirrored_with_their_amounts(db: Session) -> None:
    orders = {o.id: o for o in rows(db, Order)}
    refunds = rows(db, Refund)
    events = by_order(db, OrderEvent)
    returned = {m.order_id for m in rows(db, InventoryMovement) if m.reason == "refund"}
    payment = Counter(o.payment_status for o in orders.values())

    assert payment[PaymentStatus.REFUNDED] >= 5 and payment[PaymentStatus.PARTIALLY_REFUNDED] >= 3
    assert (
        len(refunds) == payment[PaymentStatus.REFUNDED] + payment[PaymentStatus.PARTIALLY_REFUNDED]
    )
    for refund in refunds:
        order = orders[refund.order_id]
        assert refund.stripe_refund_id.startswith("re_demo_")
        assert order.refunded_cents == refund.amount_cents
        full = order.payment_status == PaymentStatus.REFUNDED
        assert (refund.amount_cents == order.total_cents) == full
        if full and not order.shipped_at:
            assert order.status == OrderStatus.CANCELLED
        [event] = [e for e in events[order.id or 0] if e.kind == EventKind.REFUNDED]
        assert event.data["amount"] == refund.amount_cents
        assert event.data["refund_id"] == refund.stripe_refund_id
        assert bool(event.data["restock"]) == refund.restocked == (order.id in returned)


def test_abandoned_checkouts_are_cancelled_and_recent_ones_still_pending(db: Session) -> None:
    orders = rows(db, Order)
    unpaid = [o for o in orders if o.payment_status == PaymentStatus.UNPAID]
    pending = [o for o in unpaid if o.status == OrderStatus.PENDING]

    assert pending and all(NOW - o.created_at < timedelta(hours=1) for o in pending)
    assert all(
        o.status == OrderStatus.CANCELLED and o.cancelled_at for o in unpaid if o not in pending
    )
    assert len(unpaid) - len(pending) >= 10


def test_operators_find_paid_orders_to_fulfil_and_two_flagged(db: Session) -> None:
    orders = rows(db, Order)
    awaiting = [o for o in orders if o.status == OrderStatus.PAID]
    flagged = [o for o in orders if o.needs_attention]

    assert len(awaiting) >= 8
    assert len(flagged) == 2
    assert all(o.status == OrderStatus.PAID and o.attention_reason for o in flagged)


def test_the_demo_customer_has_past_orders_and_one_on_its_way(db: Session) -> None:
    mine = [o for o in rows(db, Order) if o.email == "customer@shopora.test"]
    statuses = Counter(o.status for o in mine)

    assert statuses[OrderStatus.DELIVERED] >= 3
    on_its_way = (OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED)
    assert sum(statuses[s] for s in on_its_way) >= 1
    assert statuses[OrderStatus.PENDING] == 0


def test_reservations_are_committed_released_or_held_and_reserved_matches(db: Session) -> None:
    orders = {o.id: o for o in rows(db, Order)}
    held: Counter[int] = Counter()
    for reservation in rows(db, StockReservation):
        order = orders[reservation.order_id]
        if order.paid_at:
            expected = ReservationStatus.COMMITTED
        elif order.status == OrderStatus.PENDING:
            expected = ReservationStatus.HELD
        else:
            expected = ReservationStatus.RELEASED
        assert reservation.status == expected, order.number
        if reservation.status == ReservationStatus.HELD:
            held[reservation.product_id] += reservation.quantity

    assert held
    for product in rows(db, Product):
        assert product.reserved == held[product.id or 0] <= product.stock_on_hand


def test_every_products_ledger_ends_at_its_seed_stock_without_going_negative(
    db: Session,
) -> None:
    products = {p.id: p for p in rows(db, Product)}
    movements = sorted(rows(db, InventoryMovement), key=lambda m: (m.created_at, m.id or 0))
    level: Counter[int] = Counter()

    for movement in movements:
        level[movement.product_id] += movement.delta
        assert level[movement.product_id] >= 0, movement
    for product_id, product in products.items():
        assert level[product_id or 0] == product.stock_on_hand == STOCK[product.sku]
    assert products_sold_out(products.values()) == ["OFF-004"]


def test_every_paid_line_is_one_sale_in_the_ledger(db: Session) -> None:
    orders = {o.id: o for o in rows(db, Order)}
    sold: Counter[tuple[int, int]] = Counter()
    for movement in rows(db, InventoryMovement):
        if movement.reason == "sale":
            sold[(movement.order_id or 0, movement.product_id)] -= movement.delta

    paid_lines = {
        (item.order_id, item.product_id): item.quantity
        for item in rows(db, OrderItem)
        if orders[item.order_id].paid_at
    }
    assert dict(sold) == paid_lines


# --- helpers ------------------------------------------------------------------------------


def ledger_by_sku(session: Session) -> dict[str, int]:
    statement = (
        select(Product.sku, func.sum(InventoryMovement.delta))
        .join(Product, col(Product.id) == InventoryMovement.product_id)
        .group_by(col(Product.sku))
    )
    return {sku: int(total) for sku, total in session.exec(statement).all()}


def products_sold_out(products: Any) -> list[str]:
    return sorted(p.sku for p in products if p.stock_on_hand == 0)


def fingerprint(session: Session) -> list[tuple[Any, ...]]:
    return [
        (o.number, o.email, o.status, o.payment_status, o.total_cents, o.created_at.isoformat())
        for o in sorted(rows(session, Order), key=lambda o: o.id or 0)
    ]


def given_an_unrelated_order(session: Session) -> None:
    user = make_user(session)
    session.add(
        Order(
            number="SO-1",
            user_id=user.id or 0,
            subtotal_cents=1000,
            total_cents=1000,
            email=user.email,
            shipping_name=user.name,
            shipping_line1="1 Main Street",
            shipping_city="Springfield",
            shipping_postal_code="12345",
            shipping_country="US",
        )
    )
    session.commit()
