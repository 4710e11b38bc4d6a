"""Placing orders and reading them back (addresses and shipping rates are in `shipping`)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from shopora.config import get_settings
from shopora.errors import (
    EmptyCart,
    NotFound,
    ProductUnavailable,
    ValidationFailed,
)
from shopora.models import (
    CartItem,
    DiscountCode,
    EventKind,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    ShippingMethod,
    User,
)
from shopora.models.base import pk, utcnow
from shopora.services import discounts, inventory, lifecycle, rollups
from shopora.services.actors import Actor
from shopora.services.pricing import Line, Totals, compute_totals, ensure_chargeable
from shopora.services.shipping import ShippingAddress, shipping_rates

ORDER_NUMBER_BASE = 10000


def _cart_rows(session: Session, user_id: int) -> list[tuple[CartItem, Product]]:
    statement = (
        select(CartItem, Product)
        .join(Product, col(Product.id) == CartItem.product_id)
        .where(CartItem.user_id == user_id)
        .order_by(col(CartItem.product_id))
    )
    return [(item, product) for item, product in session.exec(statement).all()]


def _fingerprint(
    user_id: int,
    rows: list[tuple[CartItem, Product]],
    address: ShippingAddress,
    method: ShippingMethod,
    code: str | None,
) -> str:
    payload = {
        "user": user_id,
        "lines": [(item.product_id, item.quantity, product.price_cents) for item, product in rows],
        "address": asdict(address),
        "method": str(method),
        "code": discounts.normalize_code(code) if code else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _locked_customer(session: Session, user_id: int) -> User | None:
    """The customer's row under a lock, so one customer's placements run one at a time and
    a double click finds the first order instead of racing it. NO KEY UPDATE (not UPDATE)
    leaves the foreign-key checks of their cart and orders unblocked."""
    statement = (
        select(User)
        .where(User.id == user_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def _existing(session: Session, user_id: int, key: str | None, fingerprint: str) -> Order | None:
    if key:
        statement = select(Order).where(Order.user_id == user_id, Order.idempotency_key == key)
        found = session.exec(statement).first()
        if found is not None:
            return found
    statement = select(Order).where(
        Order.user_id == user_id,
        Order.cart_fingerprint == fingerprint,
        Order.status == OrderStatus.PENDING,
    )
    return session.exec(statement).first()


def _applicable_code(
    session: Session, code: str | None, user_id: int, subtotal_cents: int
) -> DiscountCode | None:
    if not code or not code.strip():
        return None
    return discounts.check_code(session, code, user_id=user_id, subtotal_cents=subtotal_cents)


def _build_order(
    session: Session,
    user: User,
    address: ShippingAddress,
    method: ShippingMethod,
    code: DiscountCode | None,
    totals: Totals,
) -> Order:
    order = Order(
        # A unique placeholder until the id is known; the number derives from the id.
        number=f"new-{uuid.uuid4().hex}",
        user_id=user.id or 0,
        currency=get_settings().currency,
        email=user.email,
        subtotal_cents=totals.subtotal_cents,
        discount_cents=totals.discount_cents,
        shipping_cents=totals.shipping_cents,
        total_cents=totals.total_cents,
        shipping_name=address.name,
        shipping_line1=address.line1,
        shipping_line2=address.line2,
        shipping_city=address.city,
        shipping_region=address.region,
        shipping_postal_code=address.postal_code,
        shipping_country=address.country,
        shipping_method=method,
        discount_code=code.code if code else None,
    )
    session.add(order)
    session.flush()
    order.number = f"SO-{ORDER_NUMBER_BASE + pk(order)}"
    rollups.order_placed(session, order)
    return order


def place_order(
    *,
    session: Session,
    user_id: int,
    shipping: ShippingAddress,
    method: ShippingMethod = ShippingMethod.STANDARD,
    discount_code: str | None = None,
    idempotency_key: str | None = None,
) -> Order:
    """Turn the customer's cart into a pending order and hold its stock, all or nothing.

    Placing the same cart twice (double click, retry, same idempotency key) returns the
    first order instead of creating another.
    """
    address = shipping.cleaned()
    method = ShippingMethod(method)
    if idempotency_key is not None and not 8 <= len(idempotency_key) <= 100:
        raise ValidationFailed("Idempotency keys are 8 to 100 characters.", field="idempotency_key")
    user = _locked_customer(session, user_id)
    if user is None:
        raise NotFound("That customer does not exist.")
    rows = _cart_rows(session, user_id)
    fingerprint = _fingerprint(user_id, rows, address, method, discount_code)
    existing = _existing(session, user_id, idempotency_key, fingerprint)
    if existing is not None:
        return existing
    try:
        return _place(
            session, user, rows, address, method, discount_code, idempotency_key, fingerprint
        )
    except IntegrityError:
        # A concurrent request with the same key won the race: return its order.
        session.rollback()
        found = _existing(session, user_id, idempotency_key, fingerprint)
        if found is None:
            raise
        return found


def _place(
    session: Session,
    user: User,
    rows: list[tuple[CartItem, Product]],
    address: ShippingAddress,
    method: ShippingMethod,
    code_text: str | None,
    idempotency_key: str | None,
    fingerprint: str,
) -> Order:
    try:
        if not rows:
            raise EmptyCart("Your cart is empty.")
        for _item, product in rows:
            if not product.active:
                raise ProductUnavailable(f"{product.name} is no longer sold; remove it first.")
        lines = [Line(product.price_cents, item.quantity) for item, product in rows]
        sub = sum(line.total_cents for line in lines)
        code = _applicable_code(session, code_text, pk(user), sub)
        rule = discounts.rule_of(code) if code else None
        totals = compute_totals(lines, method=method, rates=shipping_rates(), discount=rule)
        ensure_chargeable(totals)
        order = _build_order(session, user, address, method, code, totals)
        order.idempotency_key, order.cart_fingerprint = idempotency_key, fingerprint
        items = [
            OrderItem(
                order_id=pk(order),
                product_id=pk(product),
                sku=product.sku,
                name=product.name,
                unit_price_cents=product.price_cents,
                quantity=item.quantity,
                line_total_cents=product.price_cents * item.quantity,
            )
            for item, product in rows
        ]
        # Lock the products before inserting rows that reference them: on PostgreSQL an
        # insert's foreign-key check share-locks the product, and two orders each holding
        # that share lock while waiting for FOR UPDATE deadlock.
        inventory.reserve(session, pk(order), [(i.product_id, i.quantity) for i, _ in rows])
        if code is not None:
            discounts.reserve(session, order, code, now=utcnow())
        session.add_all(items)
        lifecycle.record_event(
            session,
            order,
            EventKind.PLACED,
            Actor(user.username, user.id),
            to_status=OrderStatus.PENDING,
            data={"total": totals.total_cents},
        )
        session.commit()
    except IntegrityError:
        raise
    except BaseException:
        session.rollback()
        raise
    return order


def get_order(*, session: Session, order_id: int, user_id: int | None = None) -> Order:
    """An order by id; with `user_id`, only if it is that customer's (else NotFound)."""
    order = session.get(Order, order_id, populate_existing=True)
    if order is None or (user_id is not None and order.user_id != user_id):
        raise NotFound("We couldn't find that order.")
    return order


def get_order_by_session(*, session: Session, stripe_session_id: str) -> Order | None:
    return session.exec(select(Order).where(Order.stripe_session_id == stripe_session_id)).first()


def list_orders(*, session: Session, user_id: int, limit: int = 100) -> list[Order]:
    """A customer's orders, newest first."""
    statement = (
        select(Order)
        .where(Order.user_id == user_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def order_items(*, session: Session, order_id: int) -> list[OrderItem]:
    statement = select(OrderItem).where(OrderItem.order_id == order_id).order_by(col(OrderItem.id))
    return list(session.exec(statement).all())
