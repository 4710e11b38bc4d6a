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
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ModelWrapValidatorHandler, ValidationError, model_validator
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
from shopora.models.base import field_values, utcnow
from shopora.models.catalog import (
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_PRICE,
    MAX_THRESHOLD,
    ProductBase,
)
from shopora.services.actors import Actor
from shopora.services.input_rules import in_plain_words
from shopora.services.product_images import image_path_ok
from shopora.services.uow import transaction, unique_save

log = logging.getLogger("shopora.products")

# What a field that breaks its rule (declared once, on ProductBase) tells a person.
_RULES = {
    "name": f"Names are 2 to {MAX_NAME} characters.",
    "sku": "SKUs are 3 to 40 letters, digits or dashes.",
    "category_id": "Choose an existing category.",
    "price_cents": f"Prices are {money(1)} to {money(MAX_PRICE)}.",
    "description": f"Keep the description under {MAX_DESCRIPTION} characters.",
    "active": "Choose whether the product is on sale.",
    "featured": "Choose whether the product is featured.",
    "low_stock_threshold": f"The low-stock threshold is 0 to {MAX_THRESHOLD:,}.",
    "image": "Upload the image first and use its path.",
}


class ProductInput(ProductBase):
    """What the product form (or the API) submits, checked and cleaned by ProductBase's rules
    as it is built: a broken rule raises ValidationFailed naming the field, in plain words.
    `image` is a path returned by save_product_image."""

    @model_validator(mode="wrap")
    @classmethod
    def _in_plain_words(cls, data: Any, handler: ModelWrapValidatorHandler[ProductInput]) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise in_plain_words(exc, _RULES, "A product's") from None

    @classmethod
    def of(cls, product: ProductBase) -> ProductInput:
        """The form's starting values for editing `product`, as stored (not checked again)."""
        return cls.model_construct(**field_values(product, ProductBase))

    def but(self, **changes: Any) -> ProductInput:
        """This input with `changes`, checked again."""
        return ProductInput(**{**field_values(self, ProductBase), **changes})


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
        product = Product.model_validate(
            clean, update={"slug": _free_slug(session, clean.name), "stock_on_hand": 0}
        )
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
        product.sqlmodel_update(clean.model_dump())
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
    """`data` (already checked field by field) against the shop: the image, the category and
    the other products' SKUs."""
    if not image_path_ok(data.image):
        raise ValidationFailed(_RULES["image"], field="image")
    if session.get(Category, data.category_id) is None:
        raise ValidationFailed(_RULES["category_id"], field="category_id")
    clash = select(col(Product.id)).where(
        func.lower(col(Product.sku)) == data.sku.lower(), col(Product.id) != product_id
    )
    if session.exec(clash).first() is not None:
        raise AlreadyExists(f"Another product already has the SKU {data.sku}.", field="sku")
    return data


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
