"""Fixtures: the Stripe emulator on loopback, a gateway (the official SDK) pointed at it,
and a small seeded shop on a real database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from shopora.config import get_settings
from shopora.db import build_engine
from shopora.models import CartItem, DiscountCode, DiscountKind, Order, Product, User, VerifiedVia
from shopora.payments import checkout, fulfilment, webhooks
from shopora.payments.checkout import CheckoutStart
from shopora.payments.gateway import StripeGateway, build_gateway
from shopora.services import orders
from shopora.services.shipping import ShippingAddress
from tests.factories import make_product, make_user

from .harness import (
    API_KEY,
    APP_BASE_URL,
    FakeClock,
    RunningEmulator,
    pay,
    signed,
    start_emulator,
)

ADDRESS = ShippingAddress(
    name="Ada Lovelace",
    line1="12 St James's Square",
    city="London",
    postal_code="SW1Y 4JH",
    country="GB",
)


@pytest.fixture(autouse=True)
def payment_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Success URLs on a known base; no real Stripe keys (blank beats any .env file)."""
    monkeypatch.setenv("APP_BASE_URL", APP_BASE_URL)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(tmp_path: Path, clock: FakeClock) -> Iterator[RunningEmulator]:
    running = start_emulator(tmp_path / "stripe" / "state.sqlite3", clock)
    yield running
    # uvicorn takes ~0.2 s to shut down: let it finish in the background.
    threading.Thread(target=running.stop, daemon=True).start()


@pytest.fixture
def gateway(emulator: RunningEmulator, clock: FakeClock) -> StripeGateway:
    return build_gateway(API_KEY, emulator.base_url, clock=clock)


@dataclass
class Shop:
    """A shop on one database, paying through the emulator."""

    engine: Engine
    gateway: StripeGateway
    stripe: RunningEmulator

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def customer(self, **overrides: Any) -> User:
        with self.session() as session:
            return make_user(session, **overrides)

    def product(self, **overrides: Any) -> Product:
        with self.session() as session:
            return make_product(session, **overrides)

    def code(self, code: str, kind: DiscountKind, value: int, **extra: Any) -> DiscountCode:
        with self.session() as session:
            row = DiscountCode(code=code, kind=kind, value=value, **extra)
            session.add(row)
            session.commit()
            return row

    def set_cart(self, user: User, product: Product, quantity: int) -> None:
        with self.session() as session:
            statement = select(CartItem).where(
                CartItem.user_id == user.id, CartItem.product_id == product.id
            )
            item = session.exec(statement).first() or CartItem(
                user_id=user.id or 0, product_id=product.id or 0, quantity=quantity
            )
            item.quantity = quantity
            session.add(item)
            session.commit()

    def cart(self, user: User) -> dict[int, int]:
        with self.session() as session:
            rows = session.exec(select(CartItem).where(CartItem.user_id == user.id)).all()
            return {row.product_id: row.quantity for row in rows}

    def place(self, user: User, discount_code: str | None = None) -> Order:
        with self.session() as session:
            return orders.place_order(
                session=session,
                user_id=user.id or 0,
                shipping=ADDRESS,
                discount_code=discount_code,
            )

    def order(self, order_id: int | None) -> Order:
        with self.session() as session:
            return orders.get_order(session=session, order_id=order_id or 0)

    def product_row(self, product_id: int | None) -> Product:
        with self.session() as session:
            found = session.get(Product, product_id)
            assert found is not None
            return found

    def start(self, order: Order) -> CheckoutStart:
        with self.session() as session:
            return checkout.start_checkout(
                session=session,
                order_id=order.id or 0,
                user_id=order.user_id,
                gateway=self.gateway,
            )

    def fulfil(self, session_id: str, **kwargs: Any) -> Order:
        kwargs.setdefault("via", VerifiedVia.RETURN_PAGE)
        with self.session() as session:
            return fulfilment.fulfill_checkout(
                session=session, stripe_session_id=session_id, gateway=self.gateway, **kwargs
            )

    def webhook(self, event: dict[str, Any]) -> str:
        """Deliver an event to Shopora's webhook handler, signed as Stripe signs it."""
        body, header = signed(event)
        with self.session() as session:
            return webhooks.handle_webhook(
                session=session, payload=body, sig_header=header, gateway=self.gateway
            )

    def paid_order(self, quantity: int = 2, price_cents: int = 2500) -> Order:
        """A customer who bought `quantity` of one product (10 in stock), paid and settled."""
        user = self.customer()
        product = self.product(price_cents=price_cents)
        self.set_cart(user, product, quantity)
        order = self.place(user)
        started = self.start(order)
        pay(started.url)
        return self.fulfil(started.session_id, acting_user_id=user.id)


@pytest.fixture
def shop(sqlite_url: str, gateway: StripeGateway, emulator: RunningEmulator) -> Iterator[Shop]:
    """On SQLite only: for behaviour that does not depend on the database."""
    engine = build_engine(sqlite_url)
    yield Shop(engine, gateway, emulator)
    engine.dispose()


@pytest.fixture
def any_db_shop(engine: Engine, gateway: StripeGateway, emulator: RunningEmulator) -> Shop:
    """On SQLite and PostgreSQL (the root conftest's `engine` is parametrised)."""
    return Shop(engine, gateway, emulator)
