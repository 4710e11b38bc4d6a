"""The shapes every step of the demo history shares: the shop as found, customers, order plans."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shopora.models import (
    DiscountCode,
    Order,
    OrderStatus,
    PaymentStatus,
    Product,
    ShippingMethod,
    User,
    VerifiedVia,
)
from shopora.services.pricing import Totals

WINDOW = timedelta(days=90)
OPERATOR = "operator"
DEMO_CUSTOMER = "customer"

S = OrderStatus
FLOW = (S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED)

Address = tuple[str, str, str, str, str]  # line1, line2, city, postal code, country
Lines = list[tuple[Product, int]]


@dataclass
class Customer:
    user: User
    weight: float
    address: Address
    placed: int = 0


@dataclass
class PlannedRefund:
    at: datetime
    amount: int
    restock: bool
    cancels: bool
    note: str


@dataclass
class Plan:
    created_at: datetime
    customer: Customer
    lines: Lines
    method: ShippingMethod
    code: DiscountCode | None
    totals: Totals
    tag: str
    fate: str = "paid"  # paid | pending (awaiting payment) | expired | abandoned
    checkout_at: datetime | None = None
    steps: dict[OrderStatus, datetime] = field(default_factory=dict)
    via: VerifiedVia = VerifiedVia.WEBHOOK
    carrier: tuple[str, str] | None = None
    refund: PlannedRefund | None = None
    attention: str | None = None
    note: tuple[datetime, str] | None = None
    order: Order | None = None

    @property
    def status(self) -> OrderStatus:
        if self.fate == "pending":
            return S.PENDING
        return S.CANCELLED if S.CANCELLED in self.steps else max(self.steps, key=FLOW.index)

    @property
    def payment_status(self) -> PaymentStatus:
        if self.fate != "paid":
            return PaymentStatus.UNPAID
        if self.refund is None:
            return PaymentStatus.PAID
        if self.refund.amount == self.totals.total_cents:
            return PaymentStatus.REFUNDED
        return PaymentStatus.PARTIALLY_REFUNDED

    @property
    def session_id(self) -> str | None:
        return f"cs_test_demo_{self.tag}" if self.checkout_at else None


@dataclass
class World:
    now: datetime
    products: list[Product]
    weights: list[float]
    codes: dict[str, DiscountCode]
    operator: User | None
    demo: User | None
    staff_and_demo: list[User]  # the users that existed before the history


def load_world(session: Session, now: datetime) -> World:
    products = list(
        session.exec(select(Product).where(col(Product.active)).order_by(col(Product.sku))).all()
    )
    codes = {c.code: c for c in session.exec(select(DiscountCode)).all()}
    users = {u.username: u for u in session.exec(select(User)).all()}
    operator, demo = users.get(OPERATOR), users.get(DEMO_CUSTOMER)
    weights = [_popularity(p) for p in products]
    return World(now, products, weights, codes, operator, demo, list(users.values()))


def _popularity(product: Product) -> float:
    # Cheaper goods sell more often; featured and nearly sold-out ones have been popular.
    weight = math.pow(6000 / product.price_cents, 0.45)
    if product.featured:
        weight *= 1.5
    if product.stock_on_hand <= product.low_stock_threshold:
        weight *= 1.6
    return weight


def placed(plan: Plan) -> Order:
    if plan.order is None:
        raise RuntimeError("orders are inserted before their rows")
    return plan.order
