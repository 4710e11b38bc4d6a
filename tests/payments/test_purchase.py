"""The whole purchase: pending order → hosted Checkout → paid with a test card → fulfilled."""

from __future__ import annotations

from sqlmodel import select

from shopora.models import (
    DiscountCode,
    DiscountKind,
    DiscountRedemption,
    EventKind,
    InventoryMovement,
    MovementReason,
    OrderStatus,
    PaymentStatus,
    ReservationStatus,
    StockReservation,
    VerifiedVia,
)
from shopora.payments import fulfilment

from .conftest import Shop
from .harness import APP_BASE_URL, pay


def test_a_paid_checkout_marks_the_order_paid_moves_stock_and_cleans_the_cart(
    any_db_shop: Shop,
) -> None:
    shop = any_db_shop
    # given a customer with two products in the cart and a 10% code
    user = shop.customer()
    lamp, mat = shop.product(price_cents=4000), shop.product(price_cents=1500)
    shop.code("WELCOME10", DiscountKind.PERCENT, 10, once_per_customer=True)
    shop.set_cart(user, lamp, 2)
    shop.set_cart(user, mat, 1)
    order = shop.place(user, discount_code="welcome10")
    assert (order.subtotal_cents, order.discount_cents) == (9500, 950)
    # and, after placing, one more lamp and a new product in the cart
    extra = shop.product()
    shop.set_cart(user, lamp, 3)
    shop.set_cart(user, extra, 1)

    # when the customer pays on Stripe's page and comes back
    started = shop.start(order)
    location = pay(started.url)
    assert location == f"{APP_BASE_URL}/payment_return?session_id={started.session_id}"
    paid = shop.fulfil(started.session_id, acting_user_id=user.id)

    # then the order is paid, with Stripe's references
    assert paid.status == OrderStatus.PAID
    assert paid.payment_status == PaymentStatus.PAID
    assert paid.verified_via == VerifiedVia.RETURN_PAGE
    assert paid.amount_paid_cents == order.total_cents
    assert paid.payment_intent_id and paid.payment_intent_id.startswith("pi_")
    # and the held stock became sales
    assert (shop.product_row(lamp.id).stock_on_hand, shop.product_row(lamp.id).reserved) == (8, 0)
    assert shop.product_row(mat.id).stock_on_hand == 9
    with shop.session() as session:
        sales = session.exec(
            select(InventoryMovement).where(
                InventoryMovement.order_id == order.id,
                InventoryMovement.reason == MovementReason.SALE,
            )
        ).all()
        assert sorted((m.product_id, m.delta) for m in sales) == sorted(
            [(lamp.id, -2), (mat.id, -1)]
        )
        holds = session.exec(
            select(StockReservation).where(StockReservation.order_id == order.id)
        ).all()
        assert {h.status for h in holds} == {ReservationStatus.COMMITTED}
        # and the code was redeemed once, for this customer
        code = session.exec(select(DiscountCode)).one()
        redemption = session.exec(select(DiscountRedemption)).one()
        assert code.redemption_count == 1
        assert (redemption.order_id, redemption.once_key, redemption.amount_cents) == (
            order.id,
            user.id,
            950,
        )
    # and only the paid quantities left the cart
    assert shop.cart(user) == {lamp.id: 1, extra.id: 1}

    # and the receipt shows the verified payment
    with shop.session() as session:
        receipt = fulfilment.receipt(session=session, order_id=order.id or 0, user_id=user.id)
    assert receipt.payment is not None
    assert receipt.payment.session_id == started.session_id
    assert receipt.payment.payment_intent_id == paid.payment_intent_id
    assert receipt.payment.amount_cents == order.total_cents
    assert receipt.payment.via == VerifiedVia.RETURN_PAGE
    assert [item.quantity for item in receipt.items] == [2, 1]
    kinds = [event.kind for event in receipt.events]
    assert kinds == [EventKind.PLACED, EventKind.PAYMENT_STARTED, EventKind.PAID]


def test_the_checkout_session_carries_the_order_exactly(shop: Shop) -> None:
    # given a discounted order below the free-shipping threshold
    user = shop.customer()
    product = shop.product(price_cents=1250, name="Desk mat", sku="MAT-01")
    shop.code("FIVE", DiscountKind.FIXED, 500)
    shop.set_cart(user, product, 2)
    order = shop.place(user, discount_code="FIVE")

    # when checkout starts
    started = shop.start(order)

    # then Stripe holds the same total, currency and references
    info = shop.gateway.retrieve_session(started.session_id)
    assert info.amount_total == order.total_cents == 2500 - 500 + 599
    assert info.amount_subtotal == 2500
    assert info.currency == "usd"
    assert info.metadata == {"order_id": str(order.id), "order_number": order.number}
    assert info.client_reference_id == str(order.id)
    assert info.customer_email == order.email
    assert info.is_open and info.url == started.url
    lifetime = (info.expires_at - shop.gateway.now()).total_seconds()
    assert 30 * 60 <= lifetime <= 32 * 60
    # and the order remembers its session and the attempt
    stored = shop.order(order.id)
    assert stored.stripe_session_id == started.session_id
    assert stored.checkout_attempt == 1
    assert stored.stripe_session_expires_at == info.expires_at


def test_a_second_confirmation_of_a_paid_session_changes_nothing(shop: Shop) -> None:
    # given a paid, fulfilled order
    order = shop.paid_order()

    # when the return page is loaded again
    again = shop.fulfil(order.stripe_session_id or "", via=VerifiedVia.WEBHOOK)

    # then it is the same paid order, settled once
    assert again.status == OrderStatus.PAID
    assert again.verified_via == VerifiedVia.RETURN_PAGE
    with shop.session() as session:
        sales = session.exec(
            select(InventoryMovement).where(
                InventoryMovement.order_id == order.id,
                InventoryMovement.reason == MovementReason.SALE,
            )
        ).all()
    assert len(sales) == 1


def test_a_free_shipping_redemption_counts_the_shipping_the_customer_was_spared(
    shop: Shop,
) -> None:
    # given a cart under the free-standard-shipping threshold and the FREESHIP code
    user = shop.customer()
    mug = shop.product(price_cents=1800)
    shop.code("FREESHIP", DiscountKind.FREE_SHIPPING, 0)
    shop.set_cart(user, mug, 1)
    order = shop.place(user, discount_code="FREESHIP")
    assert (order.discount_cents, order.shipping_cents) == (0, 0)

    # when it is paid
    started = shop.start(order)
    pay(started.url)
    shop.fulfil(started.session_id, acting_user_id=user.id)

    # then the redemption records the standard shipping waived, not a zero
    with shop.session() as session:
        redemption = session.exec(select(DiscountRedemption)).one()
    assert redemption.amount_cents == 599
