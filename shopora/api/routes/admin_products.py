"""Operators manage products and stock; analysts may read the stock list."""

from __future__ import annotations

from fastapi import APIRouter

from shopora.api.deps import OperatorUser, SessionDep, SettingsDep, StaffUser
from shopora.api.errors import errors
from shopora.api.schemas_admin_catalog import (
    AdminProduct,
    ProductCreate,
    ProductUpdate,
    StockChange,
    StockRowPublic,
)
from shopora.api.schemas_common import ProductIdPath
from shopora.models import MovementReason
from shopora.services import catalog, inventory, products_admin
from shopora.services.products_admin import ProductInput

router = APIRouter(prefix="/admin/products", tags=["admin catalog"], responses=errors(401, 403))


@router.get("", summary="Every product's stock")
def stock_overview(
    user: StaffUser, session: SessionDep, settings: SettingsDep
) -> list[StockRowPublic]:
    """All products, archived ones too: on hand, held for pending orders, available, and
    whether they are low or sold out. Operators and analysts."""
    rows = products_admin.stock_overview(session=session)
    return [StockRowPublic.of(row, settings.currency) for row in rows]


@router.post("", status_code=201, responses=errors(409, 422), summary="Create a product")
def create_product(
    body: ProductCreate, user: OperatorUser, session: SessionDep, settings: SettingsDep
) -> AdminProduct:
    """A new product with a slug made from its name; it starts with no stock (add some
    with `POST /admin/products/{product_id}/stock`)."""
    product = products_admin.create_product(
        session=session, data=ProductInput.model_validate(body.model_dump()), actor=user.actor
    )
    return AdminProduct.of(product, settings.currency)


@router.patch("/{product_id}", responses=errors(404, 409, 422), summary="Edit a product")
def update_product(
    product_id: ProductIdPath,
    body: ProductUpdate,
    user: OperatorUser,
    session: SessionDep,
    settings: SettingsDep,
) -> AdminProduct:
    """Change the fields sent; `active: false` archives it (hidden from the shop)."""
    current = catalog.get_product(session=session, product_id=product_id, include_inactive=True)
    data = ProductInput.of(current).but(**body.changes())
    product = products_admin.update_product(
        session=session, product_id=product_id, data=data, actor=user.actor
    )
    return AdminProduct.of(product, settings.currency)


@router.post(
    "/{product_id}/stock", responses=errors(404, 409, 422), summary="Restock or adjust stock"
)
def change_stock(
    product_id: ProductIdPath,
    body: StockChange,
    user: OperatorUser,
    session: SessionDep,
    settings: SettingsDep,
) -> AdminProduct:
    """Add or remove units with a reason and a note, written to the inventory ledger. Stock
    never drops below what pending orders hold (409)."""
    product = inventory.adjust_stock(
        session=session,
        product_id=product_id,
        delta=body.delta,
        actor=user.actor,
        note=body.note,
        reason=MovementReason(body.reason),
    )
    return AdminProduct.of(product, settings.currency)
