"""A deterministic demo order history, so the dashboard and analytics are alive on first run.

Everything derives from one `random.Random(seed)` and the given `now`: two fresh databases get
the same customers, orders, numbers and totals. Prices come from the app's own pricing rules,
and the inventory ledger is written so that every product ends exactly at its current
`stock_on_hand` without ever going negative along the way.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import bcrypt
from sqlalchemy import func
from sqlmodel import Session, col, select

from shopora.config import get_settings
from shopora.models import (
    DiscountCode,
    DiscountRedemption,
    EventKind,
    InventoryMovement,
    MovementReason,
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
    VerifiedVia,
)
from shopora.models.base import pk
from shopora.services.discounts import rule_of
from shopora.services.orders import ORDER_NUMBER_BASE, shipping_rates
from shopora.services.pricing import Line, Totals, compute_totals

WINDOW = timedelta(days=90)
TARGET_ORDERS = 400
GROWTH = 0.6  # the last day of the window sells ~60 % more than the first
# Monday .. Sunday: weekends sell more.
WEEKDAY_SHAPE = (0.85, 0.9, 0.95, 1.0, 1.1, 1.4, 1.3)
HOURLY_SHAPE = (1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 10, 9, 8, 8, 8, 9, 11, 13, 14, 12, 7, 3)
RECENT_PENDING = 3  # orders placed in the last hour, still awaiting payment
AWAITING_FULFILMENT = 8
FULL_REFUND_SHARE = 0.03
PARTIAL_REFUND_SHARE = 0.02
ATTENTION_REASONS = (
    "The carrier could not validate the shipping address; confirm the apartment number.",
    "The customer emailed asking to switch to express shipping; confirm before packing.",
)
# Every extra demo customer signs in with this password (one bcrypt hash, shared).
SHOPPER_PASSWORD = "shopper123"
OPERATOR = "operator"
DEMO_CUSTOMER = "customer"

S = OrderStatus
FLOW = (S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED)

_US_FIRST = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas",
    "Mia", "Logan", "Harper", "James", "Evelyn", "Benjamin", "Abigail", "Elijah", "Emily",
    "Henry", "Ella", "Jackson", "Scarlett", "Samuel", "Grace", "Daniel", "Nora", "Owen", "Zoe",
    "Caleb", "Julian", "Lily", "Isaac", "Hazel", "Miles", "Aria", "Theo", "Maya", "Wyatt",
)  # fmt: skip
_US_LAST = (
    "Johnson", "Martinez", "Nguyen", "Patel", "Thompson", "Garcia", "Robinson", "Walker",
    "Ramirez", "Brooks", "Carter", "Foster", "Hayes", "Jenkins", "Kim", "Lopez", "Mitchell",
    "Nelson", "Ortiz", "Parker", "Reed", "Sullivan", "Torres", "Wallace", "Young", "Bennett",
    "Coleman", "Diaz", "Ellis", "Fischer",
)  # fmt: skip
_ABROAD = (
    ("GB", "Oliver", "Whitfield"), ("GB", "Amelia", "Hughes"), ("GB", "Harry", "Pemberton"),
    ("DE", "Lukas", "Becker"), ("DE", "Hannah", "Schulz"), ("DE", "Jonas", "Hoffmann"),
    ("CA", "Chloe", "Tremblay"), ("CA", "Ethan", "Gagnon"),
)  # fmt: skip
EXTRA_CUSTOMERS = 32 + len(_ABROAD)
_PLACES = {
    "US": (
        ("Portland", "97214"), ("Austin", "78704"), ("Denver", "80206"), ("Seattle", "98103"),
        ("Chicago", "60614"), ("Brooklyn", "11215"), ("San Diego", "92104"),
        ("Minneapolis", "55408"), ("Raleigh", "27601"), ("Boston", "02118"),
        ("Madison", "53703"), ("Asheville", "28801"), ("Tucson", "85719"),
        ("Columbus", "43215"), ("Sacramento", "95816"), ("Burlington", "05401"),
    ),
    "GB": (("London", "N1 9GU"), ("Manchester", "M4 1HQ"), ("Bristol", "BS1 5TR")),
    "DE": (("Berlin", "10435"), ("Hamburg", "20357"), ("München", "80469"), ("Köln", "50667")),
    "CA": (("Toronto", "M5V 2T6"), ("Vancouver", "V6K 2G8"), ("Montréal", "H2T 1S4")),
}  # fmt: skip
_STREETS = {
    "US": (
        "Maple Avenue", "Oak Street", "Cedar Lane", "Elm Street", "Willow Drive", "Pine Street",
        "Lakeview Road", "Hillcrest Avenue", "Park Place", "River Road", "Magnolia Court",
    ),
    "GB": ("Church Lane", "Victoria Street", "Mill Road", "Station Road", "Albert Terrace"),
    "DE": ("Lindenstraße", "Schillerstraße", "Gartenweg", "Bergstraße"),
    "CA": ("Queen Street West", "Maple Crescent", "Cambie Street", "Rue Saint-Denis"),
}  # fmt: skip
_NOTES = (
    "Gift wrap requested by the customer.",
    "Customer asked to leave the parcel with a neighbour if nobody is home.",
    "Fragile: packed with extra padding.",
)


@dataclass(frozen=True)
class HistoryReport:
    customers: int
    orders: int
    by_status: dict[str, int]
    by_payment_status: dict[str, int]
    refunds: int
    redemptions: int
    net_revenue_cents: int

    def __str__(self) -> str:
        statuses = ", ".join(f"{count} {status}" for status, count in self.by_status.items())
        return (
            f"{self.orders} demo orders from {self.customers} new customers over the last "
            f"{WINDOW.days} days ({statuses}); {self.refunds} refunds, "
            f"{self.redemptions} discount redemptions, net revenue "
            f"${self.net_revenue_cents / 100:,.2f}"
        )


@dataclass
class _Customer:
    user: User
    weight: float
    address: tuple[str, str, str, str, str]  # line1, line2, city, postal code, country
    placed: int = 0


@dataclass
class _Refund:
    at: datetime
    amount: int
    restock: bool
    cancels: bool
    note: str


@dataclass
class _Plan:
    created_at: datetime
    customer: _Customer
    lines: list[tuple[Product, int]]
    method: ShippingMethod
    code: DiscountCode | None
    totals: Totals
    tag: str
    fate: str = "paid"  # paid | pending (awaiting payment) | expired | abandoned
    checkout_at: datetime | None = None
    steps: dict[OrderStatus, datetime] = field(default_factory=dict)
    via: VerifiedVia = VerifiedVia.WEBHOOK
    carrier: tuple[str, str] | None = None
    refund: _Refund | None = None
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
class _World:
    now: datetime
    products: list[Product]
    weights: list[float]
    codes: dict[str, DiscountCode]
    operator: User | None
    demo: User | None
    staff_and_demo: list[User]  # the users that existed before the history


def generate_history(session: Session, *, now: datetime, seed: int = 2026) -> HistoryReport:
    """Write ~400 demo orders over the last 90 days, with customers, events, stock holds,
    refunds, redemptions and the inventory ledger. Joins the caller's transaction.

    The products' current `stock_on_hand` is where the history ends; it needs a database
    without orders and without ledger entries (seeding writes the catalog, then this).
    """
    _refuse_unless_blank(session)
    rng = random.Random(seed)
    world = _load_world(session, now.astimezone(UTC))
    customers = _new_customers(session, rng, world)
    plans = _plan_orders(rng, world, customers)
    moves = _plan_ledger(rng, plans, world)
    _backdate(world, customers, plans)
    session.add_all([c.user for c in customers if c.user.id is None])
    session.flush()
    _insert_orders(session, plans)
    session.add_all(_order_rows(plans, world))
    session.add_all(_ledger_rows(moves))
    session.flush()
    return _report(customers, plans, world)


def _refuse_unless_blank(session: Session) -> None:
    for model in (Order, InventoryMovement):
        if session.exec(select(func.count()).select_from(model)).one():
            raise ValueError(f"The demo history needs a database without {model.__tablename__}.")


def _load_world(session: Session, now: datetime) -> _World:
    products = list(
        session.exec(select(Product).where(col(Product.active)).order_by(col(Product.sku))).all()
    )
    codes = {c.code: c for c in session.exec(select(DiscountCode)).all()}
    users = {u.username: u for u in session.exec(select(User)).all()}
    operator, demo = users.get(OPERATOR), users.get(DEMO_CUSTOMER)
    weights = [_popularity(p) for p in products]
    return _World(now, products, weights, codes, operator, demo, list(users.values()))


def _popularity(product: Product) -> float:
    # Cheaper goods sell more often; featured and nearly sold-out ones have been popular.
    weight = math.pow(6000 / product.price_cents, 0.45)
    if product.featured:
        weight *= 1.5
    if product.stock_on_hand <= product.low_stock_threshold:
        weight *= 1.6
    return weight


# --- customers -----------------------------------------------------------------------------


def _new_customers(session: Session, rng: random.Random, world: _World) -> list[_Customer]:
    taken = {name.lower() for name in session.exec(select(User.username)).all()}
    taken |= {email.lower() for email in session.exec(select(User.email)).all()}
    password_hash = bcrypt.hashpw(SHOPPER_PASSWORD.encode(), bcrypt.gensalt()).decode()
    people = [
        ("US", first, rng.choice(_US_LAST))
        for first in rng.sample(_US_FIRST, EXTRA_CUSTOMERS - len(_ABROAD))
    ]
    customers: list[_Customer] = []
    for country, first, last in [*people, *_ABROAD]:
        username = f"{first}.{last}".lower()
        email = f"{username}@example.com"
        weight = rng.choice((0.6, 1, 1, 1, 1.5, 2, 3))
        if username in taken or email in taken:
            continue
        user = User(
            username=username,
            email=email,
            name=f"{first} {last}",
            password_hash=password_hash,
            role=Role.CUSTOMER,
        )
        customers.append(_Customer(user, weight, _address(rng, country)))
    if world.demo is not None:
        demo_address = ("418 Larkspur Lane", "", "Portland", "97214", "US")
        customers.append(_Customer(world.demo, 1.6, demo_address))
    return customers


def _address(rng: random.Random, country: str) -> tuple[str, str, str, str, str]:
    city, postal = rng.choice(_PLACES[country])
    street, number = rng.choice(_STREETS[country]), rng.randint(2, 2400 if country == "US" else 180)
    line1 = f"{street} {number}" if country == "DE" else f"{number} {street}"
    line2 = f"Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.25 else ""
    return line1, line2, city, postal, country


# --- orders --------------------------------------------------------------------------------


def _plan_orders(rng: random.Random, world: _World, customers: list[_Customer]) -> list[_Plan]:
    settled = [c for c in customers if c.user is not world.demo]
    weights = [c.weight for c in customers]
    plans: list[_Plan] = []
    recently = world.now - timedelta(days=2)
    for created in _order_times(rng, world.now):
        customer = rng.choices(customers, weights)[0]
        demo_order = world.demo is not None and created > recently
        if demo_order:
            # The demo customer's own latest order is on its way: something to track.
            customer, recently = customers[-1], world.now
        plans.append(_new_plan(rng, world, customer, created, _pick_lines(rng, world)))
        _live(rng, plans[-1], world.now, may_abandon=not demo_order)
    _refund_some(rng, plans, world.now)
    available = {pk(p): p.stock_on_hand for p in world.products}
    for minutes in sorted(rng.sample(range(4, 56), RECENT_PENDING), reverse=True):
        lines = _pick_lines(rng, world, available)
        plan = _new_plan(
            rng, world, rng.choice(settled), world.now - timedelta(minutes=minutes), lines
        )
        plan.fate = "pending"
        plans.append(plan)
    _fill_fulfilment_queue(plans, world)
    return plans


def _order_times(rng: random.Random, now: datetime) -> list[datetime]:
    start, first_day = now - WINDOW, (now - WINDOW).date()
    days = [first_day + timedelta(days=i) for i in range((now.date() - first_day).days + 1)]
    shape = [
        (1 + GROWTH * i / len(days)) * WEEKDAY_SHAPE[day.weekday()] for i, day in enumerate(days)
    ]
    per_unit = TARGET_ORDERS / sum(shape)
    latest = now - timedelta(minutes=90)
    times: list[datetime] = []
    for day, weight in zip(days, shape, strict=True):
        midnight = datetime.combine(day, time(), UTC)
        # Day-to-day noise, but no empty days: the dashboard should look alive.
        for _ in range(int(weight * per_unit * rng.uniform(0.7, 1.3) + rng.random())):
            hour = rng.choices(range(24), HOURLY_SHAPE)[0]
            at = midnight + timedelta(hours=hour, seconds=rng.randrange(3600))
            if start < at < latest:
                times.append(at)
    return sorted(times)


def _pick_lines(
    rng: random.Random, world: _World, available: dict[int, int] | None = None
) -> list[tuple[Product, int]]:
    """1-4 distinct products, mostly one or two of each; with `available`, only what is
    still free to hold (and it is taken from it)."""
    products, weights = world.products, world.weights
    if available is not None:
        pairs = [(p, w) for p, w in zip(products, weights, strict=True) if available[pk(p)] > 2]
        products, weights = [p for p, _ in pairs], [w for _, w in pairs]
    count = min(rng.choices((1, 2, 3, 4), (50, 30, 14, 6))[0], len(products))
    chosen: list[Product] = []
    while len(chosen) < count:
        product = rng.choices(products, weights)[0]
        if product not in chosen:
            chosen.append(product)
    lines = [(p, _quantity(rng, p) if available is None else 1) for p in chosen]
    for product, quantity in lines:
        if available is not None:
            available[pk(product)] -= quantity
    return lines


def _quantity(rng: random.Random, product: Product) -> int:
    if product.price_cents < 2000:
        return rng.choices((1, 2, 3), (55, 35, 10))[0]
    return rng.choices((1, 2, 3), (84, 14, 2))[0]


def _new_plan(
    rng: random.Random,
    world: _World,
    customer: _Customer,
    created: datetime,
    lines: list[tuple[Product, int]],
) -> _Plan:
    subtotal = sum(p.price_cents * q for p, q in lines)
    code = _choose_code(rng, world, customer, subtotal)
    method = ShippingMethod.EXPRESS if rng.random() < 0.18 else ShippingMethod.STANDARD
    totals = compute_totals(
        [Line(p.price_cents, q) for p, q in lines],
        method=method,
        rates=shipping_rates(),
        discount=rule_of(code) if code else None,
    )
    customer.placed += 1
    tag = f"{rng.getrandbits(80):020x}"
    return _Plan(created, customer, lines, method, code, totals, tag)


def _choose_code(
    rng: random.Random, world: _World, customer: _Customer, subtotal: int
) -> DiscountCode | None:
    # WELCOME10 on first orders, SAVE15 on big baskets, FREESHIP now and then. LIMITED and
    # EXPIRED are left alone: the demo must not use up or break their rules.
    roll = rng.random()
    name = None
    if customer.placed == 0 and roll < 0.3:
        name = "WELCOME10"
    elif roll < 0.2 and subtotal >= 10000:
        name = "SAVE15"
    elif roll > 0.95:
        name = "FREESHIP"
    code = world.codes.get(name or "")
    if code is None or not code.active or subtotal < code.min_subtotal_cents:
        return None
    return code


# --- lifecycle -----------------------------------------------------------------------------


def _live(rng: random.Random, plan: _Plan, now: datetime, *, may_abandon: bool) -> None:
    """What happened to the order up to `now`: abandoned at checkout, or paid and moved on."""
    plan.checkout_at = plan.created_at + timedelta(seconds=rng.randint(5, 40))
    roll = rng.random() if may_abandon else 1.0
    if roll < 0.065:
        plan.fate = "expired"
        minutes = get_settings().checkout_session_minutes
        plan.steps = {S.CANCELLED: plan.checkout_at + timedelta(minutes=minutes)}
        return
    if roll < 0.09:
        plan.fate = "abandoned"
        plan.steps = {S.CANCELLED: plan.checkout_at + timedelta(minutes=rng.uniform(2, 20))}
        return
    express = plan.method == ShippingMethod.EXPRESS
    at = plan.checkout_at + timedelta(seconds=rng.randint(45, 400))
    delays = (
        timedelta(hours=rng.uniform(2, 40)),
        timedelta(hours=rng.uniform(3, 30)),
        timedelta(days=rng.uniform(1, 2.5) if express else rng.uniform(2.5, 6)),
    )
    plan.steps = {S.PAID: at}
    for status, delay in zip(FLOW[1:], delays, strict=True):
        at += delay
        if at <= now:
            plan.steps[status] = at
    plan.via = VerifiedVia.RETURN_PAGE if rng.random() < 0.35 else VerifiedVia.WEBHOOK
    plan.carrier = _carrier(rng, plan)
    _maybe_note(rng, plan, now)


def _carrier(rng: random.Random, plan: _Plan) -> tuple[str, str]:
    if plan.customer.address[4] != "US":
        carrier = rng.choice(("DHL", "DHL", "UPS"))
    elif plan.method == ShippingMethod.EXPRESS:
        carrier = rng.choice(("UPS", "FedEx"))
    else:
        carrier = rng.choice(("USPS", "USPS", "UPS", "FedEx"))
    digits = "".join(rng.choices("0123456789", k=22))
    tracking = {
        "UPS": f"1Z{rng.getrandbits(24):06X}{digits[:10]}",
        "USPS": f"9400{digits[:18]}",
        "FedEx": digits[:12],
        "DHL": digits[:10],
    }[carrier]
    return carrier, tracking


def _refund_some(rng: random.Random, plans: list[_Plan], now: datetime) -> None:
    """~3 % of paid orders refunded in full (a third before dispatch), ~2 % in part."""
    paid = [plan for plan in plans if plan.fate == "paid"]
    full = round(len(paid) * FULL_REFUND_SHARE)
    partial = round(len(paid) * PARTIAL_REFUND_SHARE)
    kinds = (
        (_refund_before_dispatch, full // 3),
        (_return, full - full // 3),
        (_goodwill, partial),
    )
    for refund, wanted in kinds:
        candidates = [plan for plan in paid if plan.refund is None]
        rng.shuffle(candidates)
        done = 0
        for plan in candidates:
            if done == wanted:
                break
            done += refund(rng, plan, now)


def _refund_before_dispatch(rng: random.Random, plan: _Plan, now: datetime) -> bool:
    steps = plan.steps
    at = steps[S.PAID] + timedelta(hours=rng.uniform(1, 20))
    if at > now or at >= steps.get(S.SHIPPED, now):
        return False
    plan.steps = {status: when for status, when in steps.items() if when < at}
    plan.steps[S.CANCELLED] = at + timedelta(seconds=1)
    if plan.note and plan.note[0] >= at:
        plan.note = None
    note = "The customer changed their mind before dispatch."
    plan.refund = _Refund(at, plan.totals.total_cents, restock=True, cancels=True, note=note)
    return True


def _return(rng: random.Random, plan: _Plan, now: datetime) -> bool:
    delivered = plan.steps.get(S.DELIVERED)
    at = delivered + timedelta(days=rng.uniform(3, 12)) if delivered else now
    if at >= now:
        return False
    note = "Returned unused within 30 days."
    plan.refund = _Refund(at, plan.totals.total_cents, restock=True, cancels=False, note=note)
    return True


def _goodwill(rng: random.Random, plan: _Plan, now: datetime) -> bool:
    delivered, total = plan.steps.get(S.DELIVERED), plan.totals.total_cents
    at = delivered + timedelta(days=rng.uniform(1, 8)) if delivered else now
    amount = min(min(p.price_cents for p, _ in plan.lines), (total * 20 + 50) // 100)
    if at >= now or not 0 < amount < total:
        return False
    note = "Goodwill refund: one item arrived damaged; the customer keeps it."
    plan.refund = _Refund(at, amount, restock=False, cancels=False, note=note)
    return True


def _maybe_note(rng: random.Random, plan: _Plan, now: datetime) -> None:
    at = plan.steps[S.PAID] + timedelta(minutes=rng.uniform(20, 240))
    if rng.random() < 0.04 and at <= now:
        plan.note = (at, rng.choice(_NOTES))


def _fill_fulfilment_queue(plans: list[_Plan], world: _World) -> None:
    """The operator console opens on orders to fulfil: keep a few of the newest paid and in
    processing (taken from later stages that have orders to spare), and flag two for attention."""
    _hold_back(plans, S.PROCESSING, 3)
    _hold_back(plans, S.PAID, AWAITING_FULFILMENT)
    awaiting = [
        p for p in reversed(plans) if p.status == S.PAID and p.customer.user is not world.demo
    ]
    for plan, reason in zip(awaiting, ATTENTION_REASONS, strict=False):
        plan.attention = reason


def _hold_back(plans: list[_Plan], status: OrderStatus, wanted: int, spare: int = 3) -> None:
    counts = Counter(plan.status for plan in plans)
    later = FLOW[FLOW.index(status) + 1 : -1]  # delivered orders are too old to hold back
    for plan in reversed(plans):
        if counts[status] >= wanted:
            break
        current = plan.status
        if plan.fate == "paid" and not plan.refund and current in later and counts[current] > spare:
            kept = FLOW[: FLOW.index(status) + 1]
            plan.steps = {s: at for s, at in plan.steps.items() if s in kept}
            plan.note = None
            counts[current] -= 1
            counts[status] += 1


def _backdate(world: _World, customers: list[_Customer], plans: list[_Plan]) -> None:
    """The shop existed before its first demo order; each customer signed up before theirs."""
    opened = world.now - WINDOW - timedelta(days=14)
    for product in world.products:
        product.created_at = min(product.created_at, opened)
    for code in world.codes.values():
        code.created_at = min(code.created_at, opened)
    for user in world.staff_and_demo:
        user.created_at = min(user.created_at, opened)
    first_order = {}
    for plan in reversed(plans):
        first_order[id(plan.customer)] = plan.created_at
    for customer in customers:
        if customer.user is not world.demo:
            signup = first_order.get(id(customer), world.now - WINDOW / 2)
            customer.user.created_at = signup - timedelta(hours=customer.weight * 7)


# --- rows ----------------------------------------------------------------------------------


def _insert_orders(session: Session, plans: list[_Plan]) -> None:
    """Insert in time order, so ids (and numbers) grow with time; numbers derive from ids."""
    for index, plan in enumerate(plans):
        plan.order = _order(plan, number=f"demo-{index}")
    session.add_all([plan.order for plan in plans if plan.order is not None])
    session.flush()
    for plan in plans:
        order = _placed(plan)
        order.number = f"SO-{ORDER_NUMBER_BASE + pk(order)}"


def _placed(plan: _Plan) -> Order:
    if plan.order is None:
        raise RuntimeError("orders are inserted before their rows")
    return plan.order


def _order(plan: _Plan, *, number: str) -> Order:
    line1, line2, city, postal, country = plan.customer.address
    steps, totals, refund = plan.steps, plan.totals, plan.refund
    paid = plan.fate == "paid"
    shipped = S.SHIPPED in steps
    session_minutes = get_settings().checkout_session_minutes
    return Order(
        number=number,
        user_id=pk(plan.customer.user),
        status=plan.status,
        payment_status=plan.payment_status,
        currency=get_settings().currency,
        subtotal_cents=totals.subtotal_cents,
        discount_cents=totals.discount_cents,
        shipping_cents=totals.shipping_cents,
        total_cents=totals.total_cents,
        refunded_cents=refund.amount if refund else 0,
        email=plan.customer.user.email,
        shipping_name=plan.customer.user.name,
        shipping_line1=line1,
        shipping_line2=line2,
        shipping_city=city,
        shipping_postal_code=postal,
        shipping_country=country,
        shipping_method=plan.method,
        discount_code=plan.code.code if plan.code else None,
        stripe_session_id=plan.session_id,
        stripe_session_expires_at=(
            plan.checkout_at + timedelta(minutes=session_minutes) if plan.checkout_at else None
        ),
        checkout_attempt=1 if plan.checkout_at else 0,
        payment_intent_id=f"pi_demo_{plan.tag}" if paid else None,
        amount_paid_cents=totals.total_cents if paid else None,
        paid_at=steps.get(S.PAID),
        verified_via=plan.via if paid else None,
        carrier=plan.carrier[0] if shipped and plan.carrier else None,
        tracking_number=plan.carrier[1] if shipped and plan.carrier else None,
        processing_at=steps.get(S.PROCESSING),
        shipped_at=steps.get(S.SHIPPED),
        delivered_at=steps.get(S.DELIVERED),
        cancelled_at=steps.get(S.CANCELLED),
        needs_attention=plan.attention is not None,
        attention_reason=plan.attention,
        created_at=plan.created_at,
        updated_at=plan.created_at,  # the last event's time, once the events are written
    )


def _order_rows(plans: list[_Plan], world: _World) -> list[Any]:
    rows: list[Any] = []
    redeemed: Counter[int] = Counter()
    for plan in plans:
        order_id = pk(_placed(plan))
        rows += _items(plan, order_id)
        rows += _reservations(plan, order_id)
        events = _events(plan, order_id, world)
        _placed(plan).updated_at = events[-1].created_at
        rows += events
        if plan.refund is not None:
            rows.append(_refund_row(plan, plan.refund, order_id))
        if plan.fate == "paid" and plan.code is not None:
            rows.append(_redemption(plan, plan.code, order_id))
            redeemed[pk(plan.code)] += 1
    for code in world.codes.values():
        code.redemption_count += redeemed[pk(code)]
    return rows


def _items(plan: _Plan, order_id: int) -> list[OrderItem]:
    return [
        OrderItem(
            order_id=order_id,
            product_id=pk(product),
            sku=product.sku,
            name=product.name,
            unit_price_cents=product.price_cents,
            quantity=quantity,
            line_total_cents=product.price_cents * quantity,
        )
        for product, quantity in plan.lines
    ]


def _reservations(plan: _Plan, order_id: int) -> list[StockReservation]:
    status, settled = ReservationStatus.HELD, None
    if plan.fate == "paid":
        status, settled = ReservationStatus.COMMITTED, plan.steps[S.PAID]
    elif plan.fate != "pending":
        status, settled = ReservationStatus.RELEASED, plan.steps[S.CANCELLED]
    else:
        for product, quantity in plan.lines:
            product.reserved += quantity
    return [
        StockReservation(
            order_id=order_id,
            product_id=pk(product),
            quantity=quantity,
            status=status,
            created_at=plan.created_at,
            settled_at=settled,
        )
        for product, quantity in plan.lines
    ]


def _refund_row(plan: _Plan, refund: _Refund, order_id: int) -> Refund:
    return Refund(
        order_id=order_id,
        stripe_refund_id=f"re_demo_{plan.tag}",
        amount_cents=refund.amount,
        restocked=refund.restock,
        actor=OPERATOR,
        note=refund.note,
        created_at=refund.at,
    )


def _redemption(plan: _Plan, code: DiscountCode, order_id: int) -> DiscountRedemption:
    return DiscountRedemption(
        discount_code_id=pk(code),
        order_id=order_id,
        user_id=pk(plan.customer.user),
        once_key=pk(plan.customer.user) if code.once_per_customer else None,
        amount_cents=plan.totals.discount_cents,  # as fulfilment counts it (0 for FREESHIP)
        created_at=plan.steps[S.PAID],
    )


def _events(plan: _Plan, order_id: int, world: _World) -> list[OrderEvent]:
    user, sid = plan.customer.user, plan.session_id
    customer = (user.username, user.id)
    operator = (OPERATOR, world.operator.id if world.operator else None)
    stripe: tuple[str, int | None] = ("stripe", None)
    events: list[OrderEvent] = []

    def add(
        at: datetime,
        kind: EventKind,
        actor: tuple[str, int | None],
        move: tuple[OrderStatus | None, OrderStatus | None] = (None, None),
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        events.append(
            OrderEvent(
                order_id=order_id,
                kind=kind,
                from_status=move[0],
                to_status=move[1],
                actor=actor[0],
                actor_user_id=actor[1],
                note=note,
                data=data or {},
                created_at=at,
            )
        )

    add(
        plan.created_at,
        EventKind.PLACED,
        customer,
        (None, S.PENDING),
        data={"total": plan.totals.total_cents},
    )
    if plan.checkout_at is not None:
        add(
            plan.checkout_at,
            EventKind.PAYMENT_STARTED,
            customer,
            data={"session_id": sid, "attempt": 1},
        )
    steps, move = plan.steps, (S.PENDING, S.CANCELLED)
    if plan.fate == "expired":
        add(
            steps[S.CANCELLED],
            EventKind.CANCELLED,
            stripe,
            move,
            "The Stripe Checkout session expired before payment.",
            {"session_id": sid},
        )
    elif plan.fate == "abandoned":
        add(
            steps[S.CANCELLED],
            EventKind.CANCELLED,
            customer,
            move,
            "Cancelled by the customer before paying.",
        )
    elif plan.fate == "paid":
        add(
            steps[S.PAID],
            EventKind.PAID,
            stripe if plan.via == VerifiedVia.WEBHOOK else customer,
            (S.PENDING, S.PAID),
            data={
                "session_id": sid,
                "payment_intent": f"pi_demo_{plan.tag}",
                "amount": plan.totals.total_cents,
                "currency": get_settings().currency,
                "via": str(plan.via),
            },
        )
        if plan.attention is not None:
            add(
                steps[S.PAID] + timedelta(minutes=15),
                EventKind.NEEDS_ATTENTION,
                operator,
                note=plan.attention,
            )
        if plan.note is not None:
            add(plan.note[0], EventKind.NOTE, operator, note=plan.note[1])
        for before, status in zip(FLOW, FLOW[1:], strict=False):
            if status in steps:
                data = _shipment(plan) if status == S.SHIPPED else None
                add(steps[status], EventKind(status.value), operator, (before, status), data=data)
        if plan.refund is not None:
            refund = plan.refund
            add(
                refund.at,
                EventKind.REFUNDED,
                operator,
                note=refund.note,
                data={
                    "amount": refund.amount,
                    "refund_id": f"re_demo_{plan.tag}",
                    "restock": [[pk(p), q] for p, q in plan.lines] if refund.restock else [],
                    "refunded_total": refund.amount,
                },
            )
            if refund.cancels:
                last = max((s for s in steps if s in FLOW), key=FLOW.index)
                add(
                    steps[S.CANCELLED],
                    EventKind.CANCELLED,
                    operator,
                    (last, S.CANCELLED),
                    "Cancelled with a full refund.",
                )
    return sorted(events, key=lambda event: event.created_at)


def _shipment(plan: _Plan) -> dict[str, Any]:
    carrier, tracking = plan.carrier or ("", "")
    return {"carrier": carrier, "tracking_number": tracking}


# --- inventory ledger ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Move:
    at: datetime
    product: Product
    delta: int
    reason: MovementReason
    plan: _Plan | None = None
    actor: str = "system"
    note: str = ""


def _plan_ledger(rng: random.Random, plans: list[_Plan], world: _World) -> list[_Move]:
    """Sales and restocking refunds as they happened, restocks mid-way, and one opening
    `seed` entry per product sized so that it ends exactly at its stock_on_hand."""
    moves = _order_moves(plans)
    while short := _short_products(moves, world):
        # A late return of a product that is now sold out would need stock it never had:
        # such a refund did not go back on the shelf.
        for plan in reversed(plans):
            refund = plan.refund
            if refund and refund.restock and any(pk(p) in short for p, _ in plan.lines):
                refund.restock = False
                break
        moves = _order_moves(plans)
    moves += _restocks(rng, moves, world)
    opened = world.now - WINDOW
    for product in world.products:
        opening = product.stock_on_hand - sum(m.delta for m in moves if m.product is product)
        if opening:
            moves.append(_Move(opened, product, opening, MovementReason.SEED, note="Opening stock"))
    return sorted(moves, key=lambda m: m.at)


def _ledger_rows(moves: list[_Move]) -> list[InventoryMovement]:
    return [
        InventoryMovement(
            product_id=pk(m.product),
            delta=m.delta,
            reason=m.reason,
            order_id=pk(_placed(m.plan)) if m.plan else None,
            actor=m.actor,
            note=m.note,
            created_at=m.at,
        )
        for m in moves
    ]


def _order_moves(plans: list[_Plan]) -> list[_Move]:
    moves: list[_Move] = []
    for plan in plans:
        if plan.fate != "paid":
            continue
        for product, quantity in plan.lines:
            moves.append(
                _Move(plan.steps[S.PAID], product, -quantity, MovementReason.SALE, plan, "stripe")
            )
        refund = plan.refund
        if refund is not None and refund.restock:
            note = f"Refund re_demo_{plan.tag}: back in stock"
            for product, quantity in plan.lines:
                moves.append(
                    _Move(refund.at, product, quantity, MovementReason.REFUND, plan, OPERATOR, note)
                )
    return moves


def _lowest_balance(moves: list[_Move], product: Product, until: datetime | None = None) -> int:
    """The lowest stock level, before `until`, counted from an opening level of zero."""
    level = lowest = 0
    for move in sorted((m for m in moves if m.product is product), key=lambda m: m.at):
        if until is not None and move.at >= until:
            break
        level += move.delta
        lowest = min(lowest, level)
    return lowest


def _short_products(moves: list[_Move], world: _World) -> set[int]:
    short: set[int] = set()
    for product in world.products:
        opening = product.stock_on_hand - sum(m.delta for m in moves if m.product is product)
        if opening + _lowest_balance(moves, product) < 0:
            short.add(pk(product))
    return short


def _restocks(rng: random.Random, moves: list[_Move], world: _World) -> list[_Move]:
    """One supplier delivery mid-window for the products that sell; the opening stock shrinks
    by as much, never so far that the shelf would have run empty before the delivery."""
    restocks: list[_Move] = []
    for product in world.products:
        own = [m for m in moves if m.product is product]
        sold = -sum(m.delta for m in own if m.reason == MovementReason.SALE)
        at = world.now - WINDOW * rng.uniform(0.35, 0.65)
        wanted = rng.choice((12, 24, 36, 48))
        if sold < 15:
            continue
        opening = product.stock_on_hand - sum(m.delta for m in own)
        room = opening + _lowest_balance(own, product, until=at) - 1
        quantity = min(wanted, room) // 6 * 6
        if quantity >= 6:
            restocks.append(
                _Move(
                    at,
                    product,
                    quantity,
                    MovementReason.RESTOCK,
                    None,
                    OPERATOR,
                    "Supplier delivery",
                )
            )
    return restocks


# --- report --------------------------------------------------------------------------------


def _report(customers: list[_Customer], plans: list[_Plan], world: _World) -> HistoryReport:
    statuses = Counter(plan.status for plan in plans)
    payments = Counter(plan.payment_status for plan in plans)
    paid = [plan for plan in plans if plan.fate == "paid"]
    refunds = [plan.refund for plan in paid if plan.refund is not None]
    return HistoryReport(
        customers=sum(1 for c in customers if c.user is not world.demo),
        orders=len(plans),
        by_status={s.value: statuses[s] for s in OrderStatus if statuses[s]},
        by_payment_status={s.value: payments[s] for s in PaymentStatus if payments[s]},
        refunds=len(refunds),
        redemptions=sum(1 for plan in paid if plan.code is not None),
        net_revenue_cents=sum(p.totals.total_cents for p in paid) - sum(r.amount for r in refunds),
    )
