"""Dashboard and analytics numbers, against hand-computed expectations on a small shop.

The shop (times UTC; "current" = 10-12 March 2026, "previous" = 7-9 March):

order customer placed  paid      status      goods (cents)            disc ship total refunded
K     dave     07 10h  07 10:00  delivered   lamp×1 2000                 0  599  2599
G     dave     08 10h  08 10:05  cancelled   speaker×1 5000              0  599  5599 all, on 10th
H     dave     09 22h  10 00:30  paid        lamp×1 2000                 0  599  2599
A     alice    10 09h  10 09:05  delivered   headphones×1 10000          0    0 10000
B     bob      10 10h  10 10:10  shipped     lamp×2 4000, speaker 5000 900    0  8100
E     carol    11 08h  -         cancelled   lamp×3 6000                 0  599  6599
C     alice    11 12h  11 12:01  processing  lamp×1 2000                 0  599  2599 599, on 12th
D     bob      12 15h  -         pending     speaker×1 5000              0  599  5599
F     alice    12 23h  12 23:59  paid        headphones×2 20000       1500    0 18500
I     dave     13 00h  13 00:00  paid        headphones×1 10000          0    0 10000 (outside)

F is paid at 23:59:59 on the 12th, I at 00:00:00 on the 13th. B used WELCOME10, F used SAVE15.
H needs attention. Shipping: K 72 h after payment (shipped on the 10th, delivered 24 h later),
A 12 h (delivered 36 h later), B 24 h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from shopora.errors import ValidationFailed
from shopora.models import (
    CartItem,
    Category,
    DiscountCode,
    DiscountRedemption,
    Order,
    OrderItem,
    OrderStatus,
    PaymentStatus,
    Product,
    Refund,
    User,
)
from shopora.services import analytics
from shopora.services.analytics import (
    CategoryRevenue,
    CategoryShare,
    DateRange,
    DayPoint,
    DiscountImpact,
    ProductSales,
    TrendPoint,
    delta,
)
from tests.factories import make_category, make_product, make_user

CURRENT = DateRange.between_days(date(2026, 3, 10), date(2026, 3, 12))
PREVIOUS = DateRange.between_days(date(2026, 3, 7), date(2026, 3, 9))
EMPTY = DateRange.between_days(date(2025, 1, 1), date(2025, 1, 2))


def at(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)


def add_order(
    session: Session,
    user: User,
    number: str,
    lines: list[tuple[Product, int]],
    *,
    placed: datetime,
    status: OrderStatus = OrderStatus.PENDING,
    paid: datetime | None = None,
    discount: int = 0,
    shipping: int = 0,
    code: str | None = None,
    refunds: tuple[tuple[int, datetime], ...] = (),
    **extra: Any,
) -> Order:
    """An order row with consistent totals, its items, and its refunds."""
    subtotal = sum(product.price_cents * quantity for product, quantity in lines)
    total = subtotal - discount + shipping
    refunded = sum(amount for amount, _ in refunds)
    payment = PaymentStatus.UNPAID
    if paid is not None:
        payment = PaymentStatus.PAID
        if refunded:
            full = refunded == total
            payment = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    order = Order(
        number=number,
        user_id=user.id or 0,
        status=status,
        payment_status=payment,
        subtotal_cents=subtotal,
        discount_cents=discount,
        shipping_cents=shipping,
        total_cents=total,
        refunded_cents=refunded,
        email=user.email,
        shipping_name=user.name,
        shipping_line1="1 Main St",
        shipping_city="Springfield",
        shipping_postal_code="12345",
        shipping_country="US",
        discount_code=code,
        paid_at=paid,
        amount_paid_cents=total if paid else None,
        created_at=placed,
        updated_at=placed,
        **extra,
    )
    session.add(order)
    session.flush()
    for product, quantity in lines:
        session.add(
            OrderItem(
                order_id=order.id or 0,
                product_id=product.id or 0,
                sku=product.sku,
                name=product.name,
                unit_price_cents=product.price_cents,
                quantity=quantity,
                line_total_cents=product.price_cents * quantity,
            )
        )
    for n, (amount, when) in enumerate(refunds):
        session.add(
            Refund(
                order_id=order.id or 0,
                stripe_refund_id=f"re_{number}_{n}",
                amount_cents=amount,
                created_at=when,
            )
        )
    session.commit()
    return order


@dataclass
class Shop:
    audio: Category
    home: Category
    headphones: Product
    speaker: Product
    lamp: Product
    orders: dict[str, Order]
    alice: User


@pytest.fixture
def shop(session: Session) -> Shop:
    audio = make_category(session, slug="audio", name="Audio")
    home = make_category(session, slug="home", name="Home")
    headphones = make_product(
        session, name="Headphones", sku="AUD-1", category_id=audio.id, price_cents=10000,
        stock_on_hand=3, low_stock_threshold=5,
    )  # fmt: skip
    speaker = make_product(
        session, name="Speaker", sku="AUD-2", category_id=audio.id, price_cents=5000,
        stock_on_hand=1, reserved=1,
    )  # fmt: skip
    lamp = make_product(
        session, name="Lamp", sku="HOM-1", category_id=home.id, price_cents=2000, stock_on_hand=50
    )
    make_product(session, name="Retired", category_id=home.id, stock_on_hand=0, active=False)
    alice, bob = make_user(session, name="Alice"), make_user(session, name="Bob")
    carol, dave = make_user(session, name="Carol"), make_user(session, name="Dave")
    erin, frank = make_user(session, name="Erin"), make_user(session, name="Frank")
    S = OrderStatus
    orders = {
        "K": add_order(
            session, dave, "K", [(lamp, 1)], placed=at(7, 10), paid=at(7, 10), shipping=599,
            status=S.DELIVERED, shipped_at=at(10, 10), delivered_at=at(11, 10),
        ),
        "G": add_order(
            session, dave, "G", [(speaker, 1)], placed=at(8, 10), paid=at(8, 10, 5),
            shipping=599, status=S.CANCELLED, refunds=((5599, at(10, 11)),),
        ),
        "H": add_order(
            session, dave, "H", [(lamp, 1)], placed=at(9, 22), paid=at(10, 0, 30), shipping=599,
            status=S.PAID, needs_attention=True, attention_reason="Amount mismatch",
        ),
        "A": add_order(
            session, alice, "A", [(headphones, 1)], placed=at(10, 9), paid=at(10, 9, 5),
            status=S.DELIVERED, shipped_at=at(10, 21, 5), delivered_at=at(12, 9, 5),
        ),
        "B": add_order(
            session, bob, "B", [(lamp, 2), (speaker, 1)], placed=at(10, 10), paid=at(10, 10, 10),
            discount=900, code="WELCOME10", status=S.SHIPPED, shipped_at=at(11, 10, 10),
        ),
        "E": add_order(
            session, carol, "E", [(lamp, 3)], placed=at(11, 8), shipping=599, status=S.CANCELLED
        ),
        "C": add_order(
            session, alice, "C", [(lamp, 1)], placed=at(11, 12), paid=at(11, 12, 1), shipping=599,
            status=S.PROCESSING, refunds=((599, at(12, 8)),),
        ),
        "D": add_order(session, bob, "D", [(speaker, 1)], placed=at(12, 15), shipping=599),
        "F": add_order(
            session, alice, "F", [(headphones, 2)], placed=at(12, 23, 30),
            paid=at(12, 23, 59, 59), discount=1500, code="SAVE15", status=S.PAID,
        ),
        "I": add_order(
            session, dave, "I", [(headphones, 1)], placed=at(13), paid=at(13), status=S.PAID
        ),
    }  # fmt: skip
    for user, product, added in ((erin, lamp, at(11)), (alice, lamp, at(12)), (frank, lamp, at(5))):
        session.add(CartItem(user_id=user.id or 0, product_id=product.id or 0, quantity=1,
                             added_at=added))  # fmt: skip
    session.commit()
    return Shop(audio, home, headphones, speaker, lamp, orders, alice)


# --- periods -------------------------------------------------------------------------------


def test_a_preset_is_whole_utc_days_ending_today() -> None:
    # given
    now = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)

    # when
    week = DateRange.preset("7d", now)
    today = DateRange.preset("today", now)

    # then
    assert week == DateRange(at(6), at(13))
    assert today == DateRange(at(12), at(13))
    assert week.previous() == DateRange(datetime(2026, 2, 27, tzinfo=UTC), at(6))
    assert len(DateRange.preset("90d", now).days()) == 90


def test_a_range_must_be_aware_and_forward() -> None:
    with pytest.raises(ValidationFailed):
        DateRange(datetime(2026, 3, 1), datetime(2026, 3, 2))
    with pytest.raises(ValidationFailed):
        DateRange(at(2), at(1))
    with pytest.raises(ValidationFailed):
        DateRange.between_days(date(2026, 3, 2), date(2026, 3, 1))


def test_delta_is_a_percent_change_and_undefined_from_zero() -> None:
    assert delta(150, 100) == 50.0
    assert delta(50, 100) == -50.0
    assert delta(0, 0) == 0.0
    assert delta(10, 0) is None


# --- KPIs --------------------------------------------------------------------------------


def test_kpis_follow_the_definitions_and_compare_with_the_previous_period(
    session: Session, shop: Shop
) -> None:
    # when
    kpis = analytics.kpis(session=session, period=CURRENT, compare=True)

    # then: H (placed on the 9th, paid on the 10th) counts here; I (13th 00:00) does not.
    assert kpis.revenue_cents == 10000 + 8100 + 2599 + 2599 + 18500
    assert kpis.paid_orders == 5
    assert kpis.aov_cents == 8360  # 41798 / 5 = 8359.6, half-up
    assert kpis.items_sold == 1 + 3 + 1 + 1 + 2
    assert kpis.refunds_cents == 599 + 5599  # G's refund is dated in this period
    assert kpis.refund_count == 2
    assert kpis.net_revenue_cents == 41798 - 6198
    assert kpis.orders_placed == 6  # A B C D E F
    assert kpis.conversion == pytest.approx(4 / 6)
    previous = kpis.previous
    assert previous is not None
    assert (previous.revenue_cents, previous.paid_orders, previous.aov_cents) == (8198, 2, 4099)
    assert (previous.items_sold, previous.refunds_cents, previous.net_revenue_cents) == (2, 0, 8198)
    assert (previous.orders_placed, previous.conversion) == (3, 1.0)
    assert previous.previous is None
    assert delta(kpis.revenue_cents, previous.revenue_cents) == pytest.approx(
        (41798 - 8198) / 8198 * 100
    )


def test_kpis_of_an_empty_period_are_zeros(session: Session, shop: Shop) -> None:
    # when
    kpis = analytics.kpis(session=session, period=EMPTY)

    # then
    assert kpis == analytics.Kpis(0, 0, 0, 0, 0, 0, 0, 0.0, 0)


# --- charts -------------------------------------------------------------------------------


def test_revenue_by_day_fills_days_without_sales(session: Session, shop: Shop) -> None:
    # when
    current = analytics.revenue_by_day(session=session, period=CURRENT)
    previous = analytics.revenue_by_day(session=session, period=PREVIOUS)

    # then: F, paid at 23:59:59, stays on the 12th.
    assert current == [
        DayPoint(date(2026, 3, 10), 20699, 3, 5599),
        DayPoint(date(2026, 3, 11), 2599, 1, 0),
        DayPoint(date(2026, 3, 12), 18500, 1, 599),
    ]
    assert previous == [
        DayPoint(date(2026, 3, 7), 2599, 1, 0),
        DayPoint(date(2026, 3, 8), 5599, 1, 0),
        DayPoint(date(2026, 3, 9), 0, 0, 0),
    ]


def test_day_buckets_are_utc_whatever_the_connection_time_zone(
    session: Session, shop: Shop
) -> None:
    # given: a PostgreSQL connection in a time zone twelve hours ahead of UTC
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SET TIME ZONE 'Pacific/Auckland'"))  # type: ignore[call-overload]

    # when
    days = analytics.revenue_by_day(session=session, period=CURRENT)

    # then
    assert [point.revenue_cents for point in days] == [20699, 2599, 18500]


def test_revenue_by_category_counts_goods_of_orders_sold_in_the_period(
    session: Session, shop: Shop
) -> None:
    # when
    rows = analytics.revenue_by_category(session=session, period=CURRENT)

    # then
    assert rows == [
        CategoryRevenue(shop.audio.id or 0, "Audio", 10000 + 5000 + 20000, 4),
        CategoryRevenue(shop.home.id or 0, "Home", 4000 + 2000 + 2000, 4),
    ]
    assert analytics.revenue_by_category(session=session, period=EMPTY) == []


def test_top_products_rank_by_revenue_and_respect_the_limit(session: Session, shop: Shop) -> None:
    # when
    rows = analytics.top_products(session=session, period=CURRENT, limit=2)

    # then
    assert rows == [
        ProductSales(shop.headphones.id or 0, "Headphones", "AUD-1", 3, 30000),
        ProductSales(shop.lamp.id or 0, "Lamp", "HOM-1", 4, 8000),
    ]


def test_orders_by_status_lists_every_status(session: Session, shop: Shop) -> None:
    # when
    current = analytics.orders_by_status(session=session, period=CURRENT)
    previous = analytics.orders_by_status(session=session, period=PREVIOUS)

    # then
    assert current == {status.value: 1 for status in OrderStatus}
    assert previous == {
        "pending": 0, "paid": 1, "processing": 0, "shipped": 0, "delivered": 1, "cancelled": 1,
    }  # fmt: skip


# --- action queue -----------------------------------------------------------------------


def test_the_action_queue_lists_work_oldest_first(session: Session, shop: Shop) -> None:
    # when
    queue = analytics.action_queue(session=session, now=at(13, 12))

    # then
    assert [row.number for row in queue.awaiting_fulfilment] == ["H", "C", "F", "I"]
    first = queue.awaiting_fulfilment[0]
    assert (first.customer_name, first.total_cents, first.paid_at) == ("Dave", 2599, at(10, 0, 30))
    assert first.age == timedelta(days=3, hours=11, minutes=30)
    assert queue.awaiting_total == 4
    assert [(row.number, row.attention_reason) for row in queue.needs_attention] == [
        ("H", "Amount mismatch")
    ]
    assert [(a.name, a.available, a.threshold) for a in queue.low_stock] == [("Headphones", 3, 5)]
    assert [(a.name, a.available) for a in queue.sold_out] == [("Speaker", 0)]


# --- trends -------------------------------------------------------------------------------


def test_revenue_trend_averages_a_trailing_window_reaching_before_the_period(
    session: Session, shop: Shop
) -> None:
    # when
    points = analytics.revenue_trend(session=session, period=CURRENT, window=3)

    # then: the window of the 10th is the 8th, 9th and 10th.
    assert points == [
        TrendPoint(date(2026, 3, 10), 20699, 3, 8766, 6900),  # 26298/3; 20699/3 = 6899.67
        TrendPoint(date(2026, 3, 11), 2599, 1, 7766, 2599),  # 23298/3
        TrendPoint(date(2026, 3, 12), 18500, 1, 13933, 18500),  # 41798/3 = 13932.67
    ]


def test_revenue_trend_refuses_a_silly_window(session: Session) -> None:
    with pytest.raises(ValidationFailed):
        analytics.revenue_trend(session=session, period=CURRENT, window=0)


def test_category_mix_by_day_is_zero_filled(session: Session, shop: Shop) -> None:
    # when
    mix = analytics.category_mix(session=session, period=CURRENT, bucket="day")

    # then
    assert mix == [
        CategoryShare(date(2026, 3, 10), "Audio", 15000, 2),
        CategoryShare(date(2026, 3, 10), "Home", 6000, 3),
        CategoryShare(date(2026, 3, 11), "Audio", 0, 0),
        CategoryShare(date(2026, 3, 11), "Home", 2000, 1),
        CategoryShare(date(2026, 3, 12), "Audio", 20000, 2),
        CategoryShare(date(2026, 3, 12), "Home", 0, 0),
    ]


def test_category_mix_by_week_buckets_on_mondays(session: Session, shop: Shop) -> None:
    # when: Saturday 7th to Thursday 12th spans the weeks of Monday 2nd and Monday 9th
    mix = analytics.category_mix(session=session, period=DateRange(at(7), at(13)), bucket="week")

    # then
    assert mix == [
        CategoryShare(date(2026, 3, 2), "Audio", 5000, 1),
        CategoryShare(date(2026, 3, 2), "Home", 2000, 1),
        CategoryShare(date(2026, 3, 9), "Audio", 35000, 4),
        CategoryShare(date(2026, 3, 9), "Home", 8000, 4),
    ]


def test_discount_impact_groups_by_code_with_no_code_last(session: Session, shop: Shop) -> None:
    # when
    rows = analytics.discount_impact(session=session, period=CURRENT)

    # then
    assert rows == [
        DiscountImpact("SAVE15", 1, 1500, 18500),
        DiscountImpact("WELCOME10", 1, 900, 8100),
        DiscountImpact(None, 3, 0, 10000 + 2599 + 2599),
    ]
    assert rows[2].aov_cents == 5066  # 15198 / 3


def test_a_free_shipping_code_counts_the_shipping_it_waived(session: Session) -> None:
    # given: a paid order with a free-shipping code whose redemption recorded 599 saved
    user, lamp = make_user(session), make_product(session, price_cents=2000)
    code = DiscountCode(code="FREESHIP", kind="free_shipping", value=0, redemption_count=1)
    session.add(code)
    order = add_order(
        session, user, "FS", [(lamp, 1)], placed=at(11), paid=at(11), code="FREESHIP",
        status=OrderStatus.PAID,
    )  # fmt: skip
    session.add(
        DiscountRedemption(
            discount_code_id=code.id or 0, order_id=order.id or 0, user_id=user.id or 0,
            amount_cents=599,
        )
    )  # fmt: skip
    session.commit()

    # when
    rows = analytics.discount_impact(session=session, period=CURRENT)

    # then
    assert rows == [DiscountImpact("FREESHIP", 1, 599, 2000)]


# --- operations ---------------------------------------------------------------------------


def test_fulfilment_speed_measures_orders_shipped_or_delivered_in_the_period(
    session: Session, shop: Shop
) -> None:
    # when
    speed = analytics.fulfilment_speed(session=session, period=CURRENT)

    # then: shipped K 72 h, A 12 h, B 24 h; delivered K 24 h, A 36 h.
    assert speed == analytics.FulfilmentSpeed(36.0, 24.0, 3, 30.0, 30.0, 2)
    empty = analytics.fulfilment_speed(session=session, period=EMPTY)
    assert empty == analytics.FulfilmentSpeed(None, None, 0, None, None, 0)


def test_the_funnel_counts_shoppers_then_orders_placed_then_paid(
    session: Session, shop: Shop
) -> None:
    # when
    funnel = analytics.funnel(session=session, period=CURRENT)

    # then: shoppers = alice, bob, carol (ordered) + erin (cart only); frank's cart is older.
    assert funnel == analytics.Funnel(
        carts_with_items=4, pending_orders=6, paid_orders=4, ordering_customers=3,
        paying_customers=2,
    )  # fmt: skip
    assert analytics.funnel(session=session, period=EMPTY) == analytics.Funnel(0, 0, 0, 0, 0)


def test_the_refund_rate_follows_the_cohort_of_orders_paid_in_the_period(
    session: Session, shop: Shop
) -> None:
    # when
    current = analytics.refund_rate(session=session, period=CURRENT)
    previous = analytics.refund_rate(session=session, period=PREVIOUS)
    empty = analytics.refund_rate(session=session, period=EMPTY)

    # then
    assert current == analytics.RefundRate(1, 5, 0.2, 599, 0)
    assert previous == analytics.RefundRate(1, 2, 0.5, 5599, 1)
    assert empty == analytics.RefundRate(0, 0, 0.0, 0, 0)
