"""The demo customers: their names, addresses and sign-up dates (and the shop's opening date)."""

from __future__ import annotations

import random
from datetime import timedelta

import bcrypt
from sqlmodel import Session, select

from shopora.history.world import WINDOW, Address, Customer, Plan, World
from shopora.models import Role, User

# Every extra demo customer signs in with this password (one bcrypt hash, shared).
SHOPPER_PASSWORD = "shopper123"

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
_DEMO_ADDRESS = ("418 Larkspur Lane", "", "Portland", "97214", "US")


def new_customers(session: Session, rng: random.Random, world: World) -> list[Customer]:
    """The extra demo customers (skipping names already taken), then the demo customer."""
    taken = _taken_names(session)
    password_hash = bcrypt.hashpw(SHOPPER_PASSWORD.encode(), bcrypt.gensalt()).decode()
    customers: list[Customer] = []
    for country, first, last in _names(rng):
        username = f"{first}.{last}".lower()
        weight = rng.choice((0.6, 1, 1, 1, 1.5, 2, 3))
        if username in taken or _email(username) in taken:
            continue
        user = _user(first, last, username, password_hash)
        customers.append(Customer(user, weight, _address(rng, country)))
    if world.demo is not None:
        customers.append(Customer(world.demo, 1.6, _DEMO_ADDRESS))
    return customers


def _taken_names(session: Session) -> set[str]:
    taken = {name.lower() for name in session.exec(select(User.username)).all()}
    taken |= {email.lower() for email in session.exec(select(User.email)).all()}
    return taken


def _names(rng: random.Random) -> list[tuple[str, str, str]]:
    people = [
        ("US", first, rng.choice(_US_LAST))
        for first in rng.sample(_US_FIRST, EXTRA_CUSTOMERS - len(_ABROAD))
    ]
    return [*people, *_ABROAD]


def _email(username: str) -> str:
    return f"{username}@example.com"


def _user(first: str, last: str, username: str, password_hash: str) -> User:
    return User(
        username=username,
        email=_email(username),
        name=f"{first} {last}",
        password_hash=password_hash,
        role=Role.CUSTOMER,
    )


def _address(rng: random.Random, country: str) -> Address:
    city, postal = rng.choice(_PLACES[country])
    street, number = rng.choice(_STREETS[country]), rng.randint(2, 2400 if country == "US" else 180)
    line1 = f"{street} {number}" if country == "DE" else f"{number} {street}"
    line2 = f"Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.25 else ""
    return line1, line2, city, postal, country


def backdate(world: World, customers: list[Customer], plans: list[Plan]) -> None:
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
