"""The caller's own cart: there is no way to name anyone else's."""

from __future__ import annotations

from fastapi import APIRouter

from shopora.api.deps import CurrentUser, SessionDep, SettingsDep
from shopora.api.errors import errors
from shopora.api.schemas_cart import AddToCart, CartPublic, SetQuantity
from shopora.api.schemas_common import ProductIdPath
from shopora.services import cart

router = APIRouter(prefix="/cart", tags=["cart"], responses=errors(401))


@router.get("", summary="The cart")
def get_cart(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> CartPublic:
    """Every line with its current price, what is left in stock, and any problem."""
    view = cart.get_cart(session=session, user_id=user.id)
    return CartPublic.of(view, settings.currency)


@router.post("/items", responses=errors(404, 409, 422), summary="Add a product")
def add_item(
    body: AddToCart, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> CartPublic:
    """Add `quantity` to what the cart already holds (at most 99, never more than available)."""
    view = cart.add_item(
        session=session, user_id=user.id, product_id=body.product_id, quantity=body.quantity
    )
    return CartPublic.of(view, settings.currency)


@router.patch("/items/{product_id}", responses=errors(404, 409, 422), summary="Set a quantity")
def set_quantity(
    product_id: ProductIdPath,
    body: SetQuantity,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> CartPublic:
    """Make the cart hold exactly `quantity` of the product; 0 removes it."""
    view = cart.set_quantity(
        session=session, user_id=user.id, product_id=product_id, quantity=body.quantity
    )
    return CartPublic.of(view, settings.currency)


@router.delete("/items/{product_id}", responses=errors(422), summary="Remove a product")
def remove_item(
    product_id: ProductIdPath, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> CartPublic:
    """Take the product out of the cart (nothing happens if it is not there)."""
    view = cart.remove_item(session=session, user_id=user.id, product_id=product_id)
    return CartPublic.of(view, settings.currency)


@router.delete("", summary="Empty the cart")
def clear_cart(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> CartPublic:
    """Remove every line; returns the (empty) cart."""
    cart.clear_cart(session=session, user_id=user.id)
    return CartPublic.of(cart.get_cart(session=session, user_id=user.id), settings.currency)
