"""Factories for tests: rows with sensible defaults, overridable by keyword."""

from __future__ import annotations

import itertools
from typing import Any

import bcrypt
from sqlmodel import Session

from shopora.models import (
    Category,
    InventoryMovement,
    MovementReason,
    Order,
    Product,
    Role,
    User,
)

_seq = itertools.count(1)
# Hashing with the minimum cost keeps tests fast; production uses bcrypt's default.
_FAST_SALT = bcrypt.gensalt(rounds=4)


def make_user(session: Session, **overrides: Any) -> User:
    n = next(_seq)
    password = overrides.pop("password", "password123")
    values: dict[str, Any] = {
        "username": f"user{n}",
        "email": f"user{n}@example.test",
        "name": f"User {n}",
        "role": Role.CUSTOMER,
        "password_hash": bcrypt.hashpw(password.encode(), _FAST_SALT).decode(),
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.commit()
    return user


def make_category(session: Session, **overrides: Any) -> Category:
    n = next(_seq)
    values: dict[str, Any] = {"slug": f"category-{n}", "name": f"Category {n}"}
    values.update(overrides)
    category = Category(**values)
    session.add(category)
    session.commit()
    return category


def make_product(session: Session, **overrides: Any) -> Product:
    """A product whose ledger already explains its stock (one `seed` movement)."""
    n = next(_seq)
    if "category_id" not in overrides:
        overrides["category_id"] = make_category(session).id
    values: dict[str, Any] = {
        "sku": f"SKU-{n:04d}",
        "slug": f"product-{n}",
        "name": f"Product {n}",
        "description": "A test product.",
        "price_cents": 1500,
        "stock_on_hand": 10,
        "low_stock_threshold": 3,
    }
    values.update(overrides)
    product = Product(**values)
    session.add(product)
    session.flush()
    if product.stock_on_hand:
        session.add(
            InventoryMovement(
                product_id=product.id,
                delta=product.stock_on_hand,
                reason=MovementReason.SEED,
            )
        )
    session.commit()
    return product


def make_order(session: Session, user: User, **overrides: Any) -> Order:
    """A bare order row for `user` (no items): enough for lists and search."""
    n = next(_seq)
    values: dict[str, Any] = {
        "number": f"SO-{9000 + n}",
        "user_id": user.id,
        "email": user.email,
        "shipping_name": user.name,
        "subtotal_cents": 1000,
        "shipping_cents": 599,
        "total_cents": 1599,
        "shipping_line1": "1 Main St",
        "shipping_city": "Springfield",
        "shipping_postal_code": "12345",
        "shipping_country": "US",
    }
    values.update(overrides)
    order = Order(**values)
    session.add(order)
    session.commit()
    return order
