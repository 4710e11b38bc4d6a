"""AppTest helpers: every page runs on its own (AppTest cannot run through st.navigation),
against a seeded SQLite shop, as a given user (the auth session keys seeded)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.routing import Mount
from streamlit.testing.v1 import AppTest

from shopora.config import EMULATOR_WEBHOOK_SECRET, ROOT, get_settings
from shopora.db import build_engine, get_engine, session_scope
from shopora.models import Product, User
from shopora.payments.checkout import CheckoutStart, start_checkout
from shopora.payments.gateway import get_gateway
from shopora.seed import seed_database
from shopora.services import cart, orders, users
from shopora.services.shipping import ShippingAddress
from shopora.stripe_emulator import EmulatorConfig, create_app
from shopora.ui.state import StateKeys
from tests.loopback import ServerThread

PAGES = ROOT / "pages"


def seeded_copy(template: Path, path: Path, *, history: bool) -> Path:
    """A copy of the migrated template at `path`, seeded (with or without order history)."""
    shutil.copy(template, path)
    engine = build_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        seed_database(session=session, history=history)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def seeded_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template seeded once per run (seeding hashes passwords: ~2 s a time)."""
    path = tmp_path_factory.mktemp("ui-db") / "seeded.sqlite3"
    return seeded_copy(sqlite_template, path, history=False)


@pytest.fixture(scope="session")
def history_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with its 90-day order history, seeded once per run."""
    path = tmp_path_factory.mktemp("history") / "shop.sqlite3"
    return seeded_copy(sqlite_template, path, history=True)


def use_copy_of(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app's settings and engine at a fresh copy of `template`; its URL."""
    path = tmp_path / "shop.sqlite3"
    shutil.copy(template, path)
    sqlite_url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SHOPORA_ENV", "test")
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield sqlite_url
    get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def shop_db(
    tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A seeded shop (no order history) that the pages' own sessions read; a fresh copy of
    the seeded template for each test."""
    yield from use_copy_of(seeded_template, tmp_path, monkeypatch)


@pytest.fixture
def history_db(
    tmp_path: Path, history_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The demo shop with its order history, a fresh copy for each test (as `shop_db`)."""
    yield from use_copy_of(history_template, tmp_path, monkeypatch)


def text(at: AppTest) -> str:
    """Everything the page said in prose and alerts, for `in` checks."""
    parts = [*at.markdown, *at.success, *at.error, *at.warning, *at.info, *at.caption]
    return "\n".join(str(part.value) for part in parts)


def sign_in_as(at: AppTest, user: User | None) -> AppTest:
    """Seed the session keys streamlit-authenticator would have set."""
    if user is None:
        return at
    at.session_state[StateKeys.AUTH_STATUS] = True
    at.session_state[StateKeys.USERNAME] = user.username
    at.session_state[StateKeys.NAME] = user.name
    at.session_state[StateKeys.EMAIL] = user.email
    at.session_state[StateKeys.ROLES] = [user.role]
    return at


@pytest.fixture
def page(shop_db: str) -> Callable[..., AppTest]:
    """`page("shop", as_user=user)` → an AppTest of pages/shop.py, not yet run."""

    def build(name: str, *, as_user: User | None = None, timeout: float = 20) -> AppTest:
        at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=timeout)
        return sign_in_as(at, as_user)

    return build


def page_path(name: str) -> Path:
    return PAGES / f"{name}.py"


def seeded_user(username: str) -> User:
    """A seeded user, read through the app's own engine (DATABASE_URL)."""
    with session_scope() as session:
        user = users.get_user_by_username(session=session, username=username)
    assert user is not None
    return user


def run_page(name: str, username: str | None, **query: int | None) -> AppTest:
    """pages/<name>.py run once as that seeded user (None: anonymous), with the query
    parameters that are not None."""
    at = AppTest.from_file(str(page_path(name)), default_timeout=30)
    for key, value in query.items():
        if value is not None:
            at.query_params[key] = str(value)
    return sign_in_as(at, seeded_user(username) if username else None).run()


@pytest.fixture
def people(shop_db: str) -> dict[str, User]:
    """The seeded users by username: customer, operator, analyst."""
    engine = build_engine(shop_db)
    with Session(engine, expire_on_commit=False) as session:
        found = {user.username: user for user in session.exec(select(User)).all()}
    engine.dispose()
    return found


@pytest.fixture
def db(shop_db: str) -> Iterator[Callable[[], Session]]:
    """Sessions on the shop's database, for a test's givens and thens."""
    engine = build_engine(shop_db)
    yield lambda: Session(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def products(db: Callable[[], Session]) -> dict[str, Product]:
    """The seeded products by slug."""
    with db() as session:
        return {product.slug: product for product in session.exec(select(Product)).all()}


# --- the Stripe emulator on loopback (tests/loopback.py's server thread) ---

EMULATOR_PREFIX = "/stripe-emulator"


@pytest.fixture
def emulator_server(tmp_path: Path) -> Iterator[ServerThread]:
    """An emulator per test, mounted at /stripe-emulator as the app mounts it. Per test
    because order ids restart with each test's database, and the gateway's idempotency
    keys derive from them."""
    state = tmp_path / "stripe" / "state.sqlite3"

    def factory(url: str) -> Starlette:
        config = EmulatorConfig(
            state_path=state,
            public_url=url + EMULATOR_PREFIX,
            webhook_url=None,  # the return page settles payments in these tests
            webhook_secret=EMULATOR_WEBHOOK_SECRET,
        )
        return Starlette(routes=[Mount(EMULATOR_PREFIX, app=create_app(config))])

    server = ServerThread(factory).start()
    yield server
    emulator = server.app.routes[0].app.state.emulator

    def stop() -> None:  # uvicorn takes ~0.2 s to shut down: finish in the background
        emulator.stop()
        server.stop()
        emulator.close()

    threading.Thread(target=stop, daemon=True).start()


@pytest.fixture
def stripe(
    shop_db: str, emulator_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Point the app (settings and the cached gateway) at the emulator; its base URL."""
    monkeypatch.setenv("APP_BASE_URL", emulator_server.url)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "")
    get_settings.cache_clear()
    get_gateway.cache_clear()
    yield emulator_server.url
    get_gateway.cache_clear()
    get_settings.cache_clear()


def pay_on_stripe(session_url: str, card: str = "4000056655665556") -> httpx.Response:
    """Fill and submit the emulator's hosted payment page, as a customer would."""
    assert httpx.get(session_url).status_code == 200
    form = {
        "email": "customer@shopora.test",
        "cardNumber": card,
        "cardExpiry": "12 / 34",
        "cardCvc": "123",
        "billingName": "Casey Customer",
        "billingPostalCode": "94103",
    }
    return httpx.post(session_url, data=form, follow_redirects=False)


@pytest.fixture
def pay() -> Callable[..., httpx.Response]:
    return pay_on_stripe


@pytest.fixture
def checkout_for(
    stripe: str, db: Callable[[], Session], products: dict[str, Product]
) -> Callable[[User], CheckoutStart]:
    """`checkout_for(user)`: two mugs in the user's cart → a pending order with an open
    Stripe Checkout session (what the checkout page does)."""

    def start(user: User) -> CheckoutStart:
        mug, user_id = products["ember-stoneware-mug"].id or 0, user.id or 0
        address = ShippingAddress(
            name=user.name, line1="1 Market Street", city="San Francisco",
            postal_code="94105", country="US",
        )  # fmt: skip
        with db() as session:
            cart.add_item(session=session, user_id=user_id, product_id=mug, quantity=2)
            order = orders.place_order(session=session, user_id=user_id, shipping=address)
            return start_checkout(session=session, order_id=order.id or 0, user_id=user_id)

    return start


@pytest.fixture
def customers(people: dict[str, User], db: Callable[[], Session]) -> tuple[User, User]:
    """The demo customer and a second, registered customer."""
    with db() as session:
        other = users.register(
            session=session,
            username="robin",
            email="robin@shopora.test",
            name="Robin Other",
            password="robin12345",
        )
    return people["customer"], other
