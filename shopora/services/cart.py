"""Carts: a signed-in customer's cart in the database; a guest's is stored by guest_carts.

Both follow the same rules: 1 to 99 of a product per line, only active products, never more
than is available (on hand minus what pending orders hold).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from shopora.db import lock
from shopora.errors import NotFound, OutOfStock, ProductUnavailable, ValidationFailed
from shopora.models import MAX_LINE_QUANTITY, CartItem, GuestCart, Product, User
from shopora.models.base import pk, utcnow
from shopora.services import guest_carts
from shopora.services.uow import transaction


@dataclass(frozen=True)
class CartLine:
    product_id: int
    sku: str
    name: str
    slug: str
    image: str | None
    unit_price_cents: int
    quantity: int
    available: int
    active: bool
    line_total_cents: int

    @property
    def problem(self) -> str | None:
        """Why this line cannot be bought as it stands, if it cannot."""
        if not self.active:
            return "no longer available"
        if self.available <= 0:
            return "sold out"
        if self.quantity > self.available:
            return f"only {self.available} left"
        return None

    @classmethod
    def of(cls, product: Product, quantity: int) -> CartLine:
        return cls(
            product_id=pk(product),
            sku=product.sku,
            name=product.name,
            slug=product.slug,
            image=product.image,
            unit_price_cents=product.price_cents,
            quantity=quantity,
            available=product.available,
            active=product.active,
            line_total_cents=product.price_cents * quantity,
        )


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]

    @property
    def subtotal_cents(self) -> int:
        return sum(line.line_total_cents for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)


def view_items(*, session: Session, items: Mapping[int, int]) -> CartView:
    """A view of an anonymous cart (product id -> quantity); unknown products are dropped."""
    wanted = {product_id: qty for product_id, qty in items.items() if qty > 0}
    if not wanted:
        return CartView(lines=[])
    statement = (
        select(Product).where(col(Product.id).in_(wanted)).execution_options(populate_existing=True)
    )
    products = {pk(product): product for product in session.exec(statement).all()}
    lines = [CartLine.of(products[pid], qty) for pid, qty in wanted.items() if pid in products]
    return CartView(lines=lines)


def get_cart(*, session: Session, user_id: int) -> CartView:
    """A signed-in customer's cart, oldest line first."""
    statement = (
        select(CartItem, Product)
        .join(Product, col(Product.id) == col(CartItem.product_id))
        .where(col(CartItem.user_id) == user_id)
        .order_by(col(CartItem.added_at), col(CartItem.id))
        .execution_options(populate_existing=True)
    )
    rows = session.exec(statement).all()
    return CartView(lines=[CartLine.of(product, item.quantity) for item, product in rows])


def add_item(*, session: Session, user_id: int, product_id: int, quantity: int = 1) -> CartView:
    """Add `quantity` of a product to what the cart already holds."""
    _check_quantity(quantity, minimum=1)
    with transaction(session):
        _require_user(session, user_id)
        product = _locked_product(session, product_id)
        line = _line(session, user_id, product_id)
        current = line.quantity if line else 0
        _check_line(product, current + quantity, in_cart=current)
        _store(session, user_id, product_id, line, current + quantity)
    return get_cart(session=session, user_id=user_id)


def set_quantity(*, session: Session, user_id: int, product_id: int, quantity: int) -> CartView:
    """Make the cart hold exactly `quantity` of a product; 0 removes it."""
    _check_quantity(quantity, minimum=0)
    if quantity == 0:
        return remove_item(session=session, user_id=user_id, product_id=product_id)
    with transaction(session):
        _require_user(session, user_id)
        product = _locked_product(session, product_id)
        line = _line(session, user_id, product_id)
        _check_line(product, quantity)
        _store(session, user_id, product_id, line, quantity)
    return get_cart(session=session, user_id=user_id)


def remove_item(*, session: Session, user_id: int, product_id: int) -> CartView:
    """Take a product out of the cart (nothing happens if it is not there)."""
    with transaction(session):
        session.exec(
            delete(CartItem).where(
                col(CartItem.user_id) == user_id, col(CartItem.product_id) == product_id
            )
        )
    return get_cart(session=session, user_id=user_id)


def clear_cart(*, session: Session, user_id: int) -> None:
    """Empty the cart."""
    with transaction(session):
        session.exec(delete(CartItem).where(col(CartItem.user_id) == user_id))


def remove_bought(session: Session, user_id: int, lines: Sequence[tuple[int, int]]) -> None:
    """Take paid (product, quantity) lines out of the customer's cart; anything added since
    stays. Joins the caller's transaction (the payment's)."""
    for product_id, quantity in lines:
        row = session.exec(
            select(CartItem)
            .where(col(CartItem.user_id) == user_id, col(CartItem.product_id) == product_id)
            .with_for_update()
        ).first()
        if row is None:
            continue
        if row.quantity <= quantity:
            session.delete(row)
        else:
            _store(session, user_id, product_id, row, row.quantity - quantity)


def merge_cart(
    *, session: Session, user_id: int, items: Mapping[int, int]
) -> tuple[CartView, list[str]]:
    """Fold an anonymous cart into the user's at sign-in, keeping what can be kept.

    Returns the merged cart and one note per product that was skipped or cut down.
    """
    with transaction(session):
        _require_user(session, user_id)
        notes = _merge_lines(session, user_id, items)
    return get_cart(session=session, user_id=user_id), notes


def merge_guest_cart(*, session: Session, user_id: int, token: str) -> tuple[CartView, list[str]]:
    """Fold a guest's stored cart into the user's at sign-in and delete it, in one
    transaction: signing in twice (two tabs) cannot add the guest's items twice."""
    with transaction(session):
        _require_user(session, user_id)
        guest = session.get(GuestCart, token, with_for_update=True, populate_existing=True)
        notes = _merge_lines(session, user_id, guest_carts.items_of(guest)) if guest else []
        if guest is not None:
            session.delete(guest)
    return get_cart(session=session, user_id=user_id), notes


def validate_anonymous_add(
    *, session: Session, items: Mapping[int, int], product_id: int, quantity: int
) -> dict[int, int]:
    """The anonymous cart `items` with `quantity` more of a product, under add_item's rules."""
    _check_quantity(quantity, minimum=1)
    product = session.get(Product, product_id, populate_existing=True)
    if product is None:
        raise NotFound("That product does not exist.", field="product_id")
    current = max(0, items.get(product_id, 0))
    _check_line(product, current + quantity, in_cart=current)
    return {**items, product_id: current + quantity}


# --- rules and rows --------------------------------------------------------------------------


def _check_quantity(quantity: int, *, minimum: int) -> None:
    if not minimum <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationFailed(
            f"Choose a quantity from {minimum} to {MAX_LINE_QUANTITY}.", field="quantity"
        )


def _check_line(product: Product, quantity: int, *, in_cart: int = 0) -> None:
    """Refuse a line of `quantity` of `product`; `in_cart` only explains the refusal."""
    if not product.active:
        raise ProductUnavailable(f"{product.name} is no longer available.", field="product_id")
    if quantity > MAX_LINE_QUANTITY:
        raise ValidationFailed(
            f"A cart can hold at most {MAX_LINE_QUANTITY} of {product.name}"
            f" (it already has {in_cart}).",
            field="quantity",
        )
    if product.available <= 0:
        raise OutOfStock(f"{product.name} is sold out.", field="quantity")
    if quantity > product.available:
        already = f" Your cart already has {in_cart}." if in_cart else ""
        raise OutOfStock(
            f"Only {product.available} of {product.name} left.{already}", field="quantity"
        )


def _merge_lines(session: Session, user_id: int, items: Mapping[int, int]) -> list[str]:
    notes: list[str] = []
    # One lock order for every request, so two merges can never deadlock.
    for product_id in sorted(items):
        if items[product_id] > 0:
            note = _merge_line(session, user_id, product_id, items[product_id])
            if note:
                notes.append(note)
    return notes


def _merge_line(session: Session, user_id: int, product_id: int, adding: int) -> str | None:
    """Merge one anonymous line; a note when it was skipped or cut down."""
    product = lock(session, Product, product_id)
    if product is None:
        return "An item in your cart is no longer sold, so it was left out."
    if not product.active:
        return f"{product.name} is no longer available, so it was left out."
    if product.available <= 0:
        return f"{product.name} is sold out, so it was left out."
    line = _line(session, user_id, product_id)
    wanted = adding + (line.quantity if line else 0)
    kept = min(wanted, MAX_LINE_QUANTITY, product.available)
    _store(session, user_id, product_id, line, kept)
    if kept == wanted:
        return None
    if kept == product.available:
        return f"Only {kept} of {product.name} left, so your cart has {kept}."
    return f"A cart can hold at most {kept} of {product.name}, so your cart has {kept}."


def _require_user(session: Session, user_id: int) -> None:
    if session.get(User, user_id) is None:
        raise NotFound("That user does not exist.", field="user_id")


def _locked_product(session: Session, product_id: int) -> Product:
    # The product row lock serialises every change to this product's cart lines, so two
    # requests adding it at once cannot both insert a line (or both pass the stock check).
    product = lock(session, Product, product_id)
    if product is None:
        raise NotFound("That product does not exist.", field="product_id")
    return product


def _line(session: Session, user_id: int, product_id: int) -> CartItem | None:
    statement = (
        select(CartItem)
        .where(col(CartItem.user_id) == user_id, col(CartItem.product_id) == product_id)
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def _store(
    session: Session, user_id: int, product_id: int, line: CartItem | None, quantity: int
) -> None:
    if line is None:
        session.add(CartItem(user_id=user_id, product_id=product_id, quantity=quantity))
        return
    line.quantity = quantity
    line.updated_at = utcnow()
    session.add(line)
