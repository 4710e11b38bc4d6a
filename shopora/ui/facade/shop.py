"""What the shop's pages and components ask of the domain, one call each.

The only place on the shop side of the UI that opens database sessions: every function is
one use case in its own session, returning plain values (detached rows, dataclasses) that
the page renders after the session is closed. Nothing here runs while a page merely
renders a payment button: `start_payment` is called from a button's action only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shopora.db import session_scope
from shopora.errors import NotFound
from shopora.models import Category, Order, OrderItem, Product, ShippingMethod, User, VerifiedVia
from shopora.models.base import utcnow
from shopora.payments.checkout import CheckoutStart, cancel_order, start_checkout
from shopora.payments.fulfilment import fulfill_checkout
from shopora.payments.receipts import Receipt, receipt
from shopora.services import cart, catalog, checkout, guest_carts, orders, users
from shopora.services.actors import Actor
from shopora.services.catalog import ProductFilter, ProductPage
from shopora.services.checkout import Quote
from shopora.services.shipping import ShippingAddress

# --- catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFacts:
    categories: list[Category]
    price_bounds: tuple[int, int]


def catalog_facts() -> CatalogFacts:
    """The categories and the price range the filter bar offers."""
    with session_scope() as session:
        return CatalogFacts(
            catalog.list_categories(session=session), catalog.price_bounds(session=session)
        )


def category_counts(filters: ProductFilter) -> dict[int, int]:
    """Products per category among those the other filters (search, price, stock) let through."""
    with session_scope() as session:
        return catalog.category_counts(session=session, filters=filters)


def find_products(filters: ProductFilter) -> ProductPage:
    """The asked-for page of matches; the first page when that page no longer exists."""
    with session_scope() as session:
        found = catalog.list_products(session=session, filters=filters)
        if not found.items and filters.page > 1:
            found = catalog.list_products(session=session, filters=replace(filters, page=1))
        return found


def product_with_category(slug: str) -> tuple[Product, str | None]:
    """A product by its slug and its category's name; NotFound if it is not sold."""
    with session_scope() as session:
        product = catalog.get_product(session=session, slug=slug)
        names = {c.id: c.name for c in catalog.list_categories(session=session)}
        return product, names.get(product.category_id)


# --- carts -----------------------------------------------------------------------------------


def add_to_cart(user_id: int, product_id: int, quantity: int) -> None:
    with session_scope() as session:
        cart.add_item(session=session, user_id=user_id, product_id=product_id, quantity=quantity)


def set_cart_quantity(user_id: int, product_id: int, quantity: int) -> None:
    with session_scope() as session:
        cart.set_quantity(
            session=session, user_id=user_id, product_id=product_id, quantity=quantity
        )


def remove_from_cart(user_id: int, product_id: int) -> None:
    with session_scope() as session:
        cart.remove_item(session=session, user_id=user_id, product_id=product_id)


def cart_item_count(user_id: int) -> int:
    with session_scope() as session:
        return cart.get_cart(session=session, user_id=user_id).item_count


def checked_guest_items(items: Mapping[int, int], product_id: int, quantity: int) -> dict[int, int]:
    """A guest cart with `quantity` more of a product, under the cart's rules (or refused).

    Its own session, closed before the guest cart is saved: on SQLite every writing
    transaction takes the write lock, so a save inside it would wait for itself."""
    with session_scope() as session:
        return cart.validate_anonymous_add(
            session=session, items=items, product_id=product_id, quantity=quantity
        )


def guest_cart_items(token: str) -> dict[int, int]:
    with session_scope() as session:
        return guest_carts.load(session=session, token=token)


def save_guest_cart(token: str, items: dict[int, int]) -> None:
    with session_scope() as session:
        guest_carts.save(session=session, token=token, items=items)


def quote_customer(user_id: int, method: ShippingMethod, code: str | None) -> Quote:
    with session_scope() as session:
        return checkout.quote(session=session, user_id=user_id, method=method, discount_code=code)


def quote_guest(items: Mapping[int, int], method: ShippingMethod, code: str | None) -> Quote:
    with session_scope() as session:
        return checkout.quote_items(session=session, items=items, method=method, discount_code=code)


def merge_into_customer_cart(
    user_id: int, token: str | None, items: Mapping[int, int]
) -> list[str]:
    """Fold the guest's cart into the customer's at sign-in; one note per line cut or skipped."""
    with session_scope() as session:
        if token is None:
            _view, notes = cart.merge_cart(session=session, user_id=user_id, items=items)
        else:
            _view, notes = cart.merge_guest_cart(session=session, user_id=user_id, token=token)
        return notes


# --- accounts --------------------------------------------------------------------------------


def user_named(username: str) -> User | None:
    with session_scope() as session:
        return users.get_user_by_username(session=session, username=username)


def authenticate(login: str, password: str) -> User:
    with session_scope() as session:
        return users.authenticate(session=session, login=login, password=password)


def register(*, username: str, email: str, name: str, password: str) -> User:
    with session_scope() as session:
        return users.register(
            session=session, username=username, email=email, name=name, password=password
        )


# --- orders ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSummary:
    """An order as My orders lists it: the order and what was bought."""

    order: Order
    items: list[OrderItem]


def customer_order(order_id: int, user_id: int) -> Order | None:
    """The customer's order, or None if there is no such order of theirs."""
    try:
        with session_scope() as session:
            return orders.get_order(session=session, order_id=order_id, user_id=user_id)
    except NotFound:
        return None


def order_items(order_id: int) -> list[OrderItem]:
    with session_scope() as session:
        return orders.order_items(session=session, order_id=order_id)


def last_order(user_id: int) -> Order | None:
    """The customer's newest order (its address prefills the checkout form)."""
    with session_scope() as session:
        found = orders.list_orders(session=session, user_id=user_id, limit=1)
        return found[0] if found else None


def customer_orders(user_id: int) -> list[Order]:
    with session_scope() as session:
        return orders.list_orders(session=session, user_id=user_id)


def with_items(found: list[Order]) -> list[OrderSummary]:
    """The given orders (one page of them) with their items, in one session."""
    with session_scope() as session:
        return [
            OrderSummary(order, orders.order_items(session=session, order_id=order.id or 0))
            for order in found
        ]


def customer_receipt(order_id: int, user_id: int) -> Receipt:
    """The customer's order with items, timeline and payment proof; NotFound if not theirs."""
    with session_scope() as session:
        return receipt(session=session, order_id=order_id, user_id=user_id)


def place_order(
    *,
    user_id: int,
    address: ShippingAddress,
    method: ShippingMethod,
    code: str | None,
    idempotency_key: str,
) -> Order:
    """The customer's cart as a pending order holding its stock (same key: same order)."""
    with session_scope() as session:
        return orders.place_order(
            session=session,
            user_id=user_id,
            shipping=address,
            method=method,
            discount_code=code,
            idempotency_key=idempotency_key,
        )


# --- payment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLink:
    url: str
    expires_at: datetime


def open_payment_link(order: Order) -> PaymentLink | None:
    """The order's current Stripe page as stored on the order, while it has not expired.

    Read from the order alone, so a page can draw its "Pay" link without asking Stripe;
    None means a (new) session must be opened, which only a button's action does."""
    url, expires_at = order.stripe_session_url, order.stripe_session_expires_at
    if not (order.stripe_session_id and url and expires_at):
        return None
    if expires_at.tzinfo is None:  # SQLite hands datetimes back without their zone (UTC)
        expires_at = expires_at.replace(tzinfo=UTC)
    return PaymentLink(url, expires_at) if expires_at > utcnow() else None


def start_payment(order_id: int, user_id: int) -> CheckoutStart:
    """Open (or resume) the order's Stripe Checkout Session. Call on an action only."""
    with session_scope() as session:
        return start_checkout(session=session, order_id=order_id, user_id=user_id)


def cancel_unpaid(order_id: int, *, user_id: int, username: str) -> None:
    with session_scope() as session:
        cancel_order(
            session=session,
            order_id=order_id,
            actor=Actor(username, user_id),
            user_id=user_id,
            reason="Cancelled by the customer before paying.",
        )


def verify_return(stripe_session_id: str, user_id: int) -> Receipt:
    """The return page's check with Stripe (fulfilling the order once), then the receipt."""
    with session_scope() as session:
        order = fulfill_checkout(
            session=session,
            stripe_session_id=stripe_session_id,
            via=VerifiedVia.RETURN_PAGE,
            acting_user_id=user_id,
        )
        return receipt(session=session, order_id=order.id or 0, user_id=user_id)


def order_of_session(stripe_session_id: str) -> Order | None:
    with session_scope() as session:
        return orders.get_order_by_session(session=session, stripe_session_id=stripe_session_id)
