"""Load the demo catalog, users and discount codes from data/seed.json (and a demo history)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from shopora.config import ROOT
from shopora.history import HistoryReport, generate_history
from shopora.models import (
    Category,
    DiscountCode,
    DiscountKind,
    InventoryMovement,
    MovementReason,
    Order,
    Product,
    Role,
    User,
)
from shopora.models.base import pk, utcnow
from shopora.services.rollups_rebuild import rebuild as rebuild_rollups

SEED_FILE = ROOT / "data" / "seed.json"
_SECTIONS = ("categories", "products", "users", "discount_codes")


@dataclass(frozen=True)
class SeedReport:
    already_seeded: bool = False
    categories: int = 0
    products: int = 0
    users: int = 0
    discount_codes: int = 0
    history: HistoryReport | None = None
    history_skipped: str | None = None
    seconds: float = 0.0

    def __str__(self) -> str:
        if self.already_seeded:
            return "Database already seeded: nothing changed."
        lines = [
            f"Seeded {self.categories} categories, {self.products} products, "
            f"{self.users} users and {self.discount_codes} discount codes "
            f"in {self.seconds:.1f} s."
        ]
        if self.history is not None:
            lines.append(str(self.history))
        elif self.history_skipped:
            lines.append(f"No demo order history: {self.history_skipped}.")
        return "\n".join(lines)


def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    """The seed file, checked for the sections seeding needs."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a JSON object.")
    missing = [section for section in _SECTIONS if not isinstance(data.get(section), list)]
    if missing:
        raise ValueError(f"{path} lacks the list(s): {', '.join(missing)}.")
    return data


def seed_database(
    *,
    session: Session,
    history: bool = True,
    now: datetime | None = None,
    path: Path = SEED_FILE,
) -> SeedReport:
    """Create the demo catalog, users and codes (and order history) in one transaction.

    Idempotent: if any of them already exists, nothing changes. The history is only written
    on a database without orders (and without stock movements).
    """
    started = time.perf_counter()
    data = load_seed(path)
    now = now or utcnow()
    if _already_seeded(session, data):
        session.rollback()
        return SeedReport(already_seeded=True)
    try:
        products, report, skipped = _write(session, data, history, now)
        session.commit()
    except IntegrityError:
        # Another seeding won the race between our check and our writes.
        session.rollback()
        if _already_seeded(session, data):
            return SeedReport(already_seeded=True)
        raise
    except BaseException:
        session.rollback()
        raise
    return SeedReport(
        categories=len(data["categories"]),
        products=products,
        users=len(data["users"]),
        discount_codes=len(data["discount_codes"]),
        history=report,
        history_skipped=skipped,
        seconds=time.perf_counter() - started,
    )


def _write(
    session: Session, data: dict[str, Any], history: bool, now: datetime
) -> tuple[int, HistoryReport | None, str | None]:
    products = _add_catalog(session, data, now)
    _add_users(session, data["users"], now)
    _add_codes(session, data["discount_codes"], now)
    session.flush()
    skipped = _history_skipped(session, history)
    report = generate_history(session, now=now) if skipped is None else None
    if report is None:
        _add_opening_stock(session, products, now)
    else:
        # The history is written as rows, not through the services: count it once, here.
        session.flush()
        rebuild_rollups(session)
    return len(products), report, skipped


def _already_seeded(session: Session, data: dict[str, Any]) -> bool:
    """Whether any seeded row exists, by its unique key."""
    checks = (
        (col(Category.slug), [c["slug"] for c in data["categories"]]),
        (col(Product.sku), [p["sku"] for p in data["products"]]),
        (func.lower(User.username), [u["username"].lower() for u in data["users"]]),
        (func.lower(DiscountCode.code), [d["code"].lower() for d in data["discount_codes"]]),
    )
    for column, keys in checks:
        found = session.exec(select(column).where(column.in_(keys)).limit(1)).first()
        if keys and found is not None:
            return True
    return False


def _history_skipped(session: Session, wanted: bool) -> str | None:
    if not wanted:
        return "not requested"
    for model, what in ((Order, "orders"), (InventoryMovement, "stock movements")):
        if session.exec(select(func.count()).select_from(model)).one():
            return f"the database already has {what}"
    return None


def _add_catalog(session: Session, data: dict[str, Any], now: datetime) -> list[Product]:
    categories: dict[str, Category] = {}
    for position, item in enumerate(data["categories"]):
        categories[item["slug"]] = Category(
            slug=item["slug"],
            name=item["name"],
            description=item.get("description", ""),
            position=position,
        )
    session.add_all(categories.values())
    session.flush()
    products = [_product(item, categories, now) for item in data["products"]]
    session.add_all(products)
    return products


def _product(item: dict[str, Any], categories: dict[str, Category], now: datetime) -> Product:
    category = categories.get(item["category"])
    if category is None:
        raise ValueError(f"Product {item['sku']} names an unknown category {item['category']!r}.")
    return Product(
        sku=item["sku"],
        slug=item["slug"],
        name=item["name"],
        description=item.get("description", ""),
        category_id=pk(category),
        price_cents=item["price_cents"],
        image=item.get("image"),
        stock_on_hand=item["stock"],
        low_stock_threshold=item.get("low_stock_threshold", 5),
        active=item.get("active", True),
        featured=item.get("featured", False),
        created_at=now,
        updated_at=now,
    )


def _add_users(session: Session, items: list[dict[str, Any]], now: datetime) -> None:
    for item in items:
        password_hash = bcrypt.hashpw(item["password"].encode(), bcrypt.gensalt())
        session.add(
            User(
                username=item["username"].lower(),
                email=item["email"].lower(),
                name=item["name"],
                role=Role(item["role"]),
                password_hash=password_hash.decode(),
                created_at=now,
            )
        )


def _add_codes(session: Session, items: list[dict[str, Any]], now: datetime) -> None:
    def relative(days: int | None) -> datetime | None:
        return None if days is None else now + timedelta(days=days)

    for item in items:
        session.add(
            DiscountCode(
                code=item["code"],
                description=item.get("description", ""),
                kind=DiscountKind(item["kind"]),
                value=item.get("value", 0),
                min_subtotal_cents=item.get("min_subtotal_cents", 0),
                starts_at=relative(item.get("starts_in_days")),
                ends_at=relative(item.get("ends_in_days")),
                max_redemptions=item.get("max_redemptions"),
                once_per_customer=item.get("once_per_customer", False),
                active=item.get("active", True),
                created_at=now,
            )
        )


def _add_opening_stock(session: Session, products: list[Product], now: datetime) -> None:
    """Without a history, each product's ledger is one `seed` entry for its whole stock."""
    session.add_all(
        InventoryMovement(
            product_id=pk(product),
            delta=product.stock_on_hand,
            reason=MovementReason.SEED,
            note="Opening stock from seed.json",
            created_at=now,
        )
        for product in products
        if product.stock_on_hand
    )
