"""Operators manage products: create and edit with validation, archive, delete, stock.

Categories for the form come from `catalog.list_categories`. Stock changes go through
`inventory.adjust_stock` (a new product starts with nothing on hand) and each product's
history is `inventory.ledger`. A product that any order, hold or ledger entry refers to is
archived (hidden from the shop), never deleted: history must stay whole. Image uploads and
their format checks are in `product_images`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from typing import Literal

from sqlalchemy import delete
from sqlmodel import Session, col, func, or_, select

from shopora.db import lock
from shopora.errors import AlreadyExists, NotFound, ValidationFailed
from shopora.formatting import money
from shopora.models import (
    CartItem,
    Category,
    InventoryMovement,
    OrderItem,
    Product,
    StockReservation,
)
from shopora.models.base import utcnow
from shopora.services.actors import Actor
from shopora.services.product_images import image_path_ok
from shopora.services.uow import transaction, unique_save

log = logging.getLogger("shopora.products")

SKU_PATTERN = re.compile(r"^[A-Z0-9-]{3,40}$")
MAX_PRICE = 99_999_999
MAX_THRESHOLD = 10_000
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class ProductInput:
    """What the product form submits; `image` is a path returned by save_product_image."""

    name: str
    sku: str
    category_id: int
    price_cents: int
    description: str = ""
    active: bool = True
    featured: bool = False
    low_stock_threshold: int = 5
    image: str | None = None

    @classmethod
    def of(cls, product: Product) -> ProductInput:
        """The form's starting values for editing `product`."""
        return cls(
            name=product.name,
            sku=product.sku,
            category_id=product.category_id,
            price_cents=product.price_cents,
            description=product.description,
            active=product.active,
            featured=product.featured,
            low_stock_threshold=product.low_stock_threshold,
            image=product.image,
        )


@dataclass(frozen=True)
class StockRow:
    product_id: int
    sku: str
    name: str
    category: str
    price_cents: int
    on_hand: int
    reserved: int
    available: int
    threshold: int
    low: bool
    sold_out: bool
    active: bool
    featured: bool


def create_product(*, session: Session, data: ProductInput, actor: Actor) -> Product:
    """A new product with a unique slug from its name; it starts with no stock."""
    with _saving(session):
        clean = _validated(session, data, product_id=0)
        product = Product(slug=_free_slug(session, clean.name), stock_on_hand=0, **asdict(clean))
        session.add(product)
    log.info("%s created product %s (%s)", actor.name, product.sku, product.id)
    return product


def update_product(
    *, session: Session, product_id: int, data: ProductInput, actor: Actor
) -> Product:
    """Change a product's details (its slug, the shop address, stays as it was)."""
    with _saving(session):
        product = _locked(session, product_id)
        clean = _validated(session, data, product_id=product_id)
        for name, value in asdict(clean).items():
            setattr(product, name, value)
        product.updated_at = utcnow()
        session.add(product)
    log.info("%s updated product %s (%s)", actor.name, product.sku, product_id)
    return product


def archive_product(*, session: Session, product_id: int, actor: Actor) -> Product:
    """Hide a product from the shop; its orders, holds and ledger stay as they are."""
    return _set_active(session, product_id, False, actor)


def restore_product(*, session: Session, product_id: int, actor: Actor) -> Product:
    """Put an archived product back on sale."""
    return _set_active(session, product_id, True, actor)


def delete_product(
    *, session: Session, product_id: int, actor: Actor
) -> Literal["deleted", "archived"]:
    """Delete a product nothing refers to; archive it if any order, hold or ledger entry does."""
    with transaction(session):
        product = _locked(session, product_id)
        if _referenced(session, product_id):
            product.active, product.updated_at = False, utcnow()
            session.add(product)
            outcome: Literal["deleted", "archived"] = "archived"
        else:
            session.exec(delete(CartItem).where(col(CartItem.product_id) == product_id))
            session.delete(product)
            outcome = "deleted"
    log.info("%s %s product %s", actor.name, outcome, product_id)
    return outcome


def stock_overview(*, session: Session, include_inactive: bool = True) -> list[StockRow]:
    """Every product's stock: on hand, held for pending orders, available, low or sold out."""
    statement = select(Product, col(Category.name)).join(
        Category, col(Category.id) == col(Product.category_id)
    )
    if not include_inactive:
        statement = statement.where(col(Product.active))
    statement = statement.order_by(col(Category.position), col(Category.name), col(Product.name))
    return [_stock_row(product, category) for product, category in session.exec(statement).all()]


def _validated(session: Session, data: ProductInput, *, product_id: int) -> ProductInput:
    clean = replace(
        data,
        name=" ".join(data.name.split()),
        sku=data.sku.strip().upper(),
        description=data.description.strip(),
        image=data.image or None,
    )
    rules = (
        ("name", 2 <= len(clean.name) <= 120, "Names are 2 to 120 characters."),
        ("sku", SKU_PATTERN.match(clean.sku), "SKUs are 3 to 40 letters, digits or dashes."),
        ("price_cents", _within(clean.price_cents, 1, MAX_PRICE),
         f"Prices are {money(1)} to {money(MAX_PRICE)}."),
        ("low_stock_threshold", _within(clean.low_stock_threshold, 0, MAX_THRESHOLD),
         "The low-stock threshold is 0 to 10,000."),
        ("description", len(clean.description) <= MAX_DESCRIPTION,
         f"Keep the description under {MAX_DESCRIPTION} characters."),
        ("image", image_path_ok(clean.image), "Upload the image first and use its path."),
    )  # fmt: skip
    for field, ok, message in rules:
        if not ok:
            raise ValidationFailed(message, field=field)
    if session.get(Category, clean.category_id) is None:
        raise ValidationFailed("Choose an existing category.", field="category_id")
    clash = select(col(Product.id)).where(
        func.lower(col(Product.sku)) == clean.sku.lower(), col(Product.id) != product_id
    )
    if session.exec(clash).first() is not None:
        raise AlreadyExists(f"Another product already has the SKU {clean.sku}.", field="sku")
    return clean


def _within(value: int, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by dashes ("Café Crème 2" -> "cafe-creme-2")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].strip("-") or "product"


def _free_slug(session: Session, name: str) -> str:
    base = slugify(name)
    # base holds only [a-z0-9-], so it is safe inside LIKE.
    taken = set(
        session.exec(
            select(col(Product.slug)).where(
                or_(col(Product.slug) == base, col(Product.slug).like(f"{base}-%"))
            )
        ).all()
    )
    n = 1
    while (slug := base if n == 1 else f"{base}-{n}") in taken:
        n += 1
    return slug


def _saving(session: Session) -> AbstractContextManager[Session]:
    return unique_save(
        session, conflict="Another product took that SKU or name just now; try again.", field="sku"
    )


def _locked(session: Session, product_id: int) -> Product:
    product = lock(session, Product, product_id)
    if product is None:
        raise NotFound("That product does not exist.", field="product_id")
    return product


def _set_active(session: Session, product_id: int, active: bool, actor: Actor) -> Product:
    with transaction(session):
        product = _locked(session, product_id)
        product.active, product.updated_at = active, utcnow()
        session.add(product)
    log.info("%s %s product %s", actor.name, "restored" if active else "archived", product_id)
    return product


def _referenced(session: Session, product_id: int) -> bool:
    for model in (OrderItem, StockReservation, InventoryMovement):
        found = select(col(model.id)).where(col(model.product_id) == product_id).limit(1)
        if session.exec(found).first() is not None:
            return True
    return False


def _stock_row(product: Product, category: str) -> StockRow:
    available = product.available
    return StockRow(
        product_id=product.id or 0, sku=product.sku, name=product.name, category=category,
        price_cents=product.price_cents, on_hand=product.stock_on_hand, reserved=product.reserved,
        available=available, threshold=product.low_stock_threshold,
        low=product.is_low_stock, sold_out=available <= 0, active=product.active,
        featured=product.featured,
    )  # fmt: skip
