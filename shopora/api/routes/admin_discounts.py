"""Operators manage discount codes; analysts may read how they are used."""

from __future__ import annotations

from fastapi import APIRouter

from shopora.api.deps import OperatorUser, SessionDep, StaffUser
from shopora.api.errors import errors
from shopora.api.schemas_admin_discounts import (
    DiscountCreate,
    DiscountPublic,
    DiscountUpdate,
    DiscountUsage,
)
from shopora.api.schemas_common import DiscountIdPath
from shopora.services import discounts_admin
from shopora.services.discounts_admin import DiscountInput

router = APIRouter(prefix="/admin/discounts", tags=["admin catalog"], responses=errors(401, 403))


@router.get("", summary="Discount codes and their use")
def code_usage(user: StaffUser, session: SessionDep) -> list[DiscountUsage]:
    """Every code with its status, redemptions, discount given and revenue. Operators and
    analysts."""
    return [DiscountUsage.of(usage) for usage in discounts_admin.code_usage(session=session)]


@router.post("", status_code=201, responses=errors(409, 422), summary="Create a code")
def create_code(body: DiscountCreate, user: OperatorUser, session: SessionDep) -> DiscountPublic:
    """A new code, stored uppercase and unique whatever its case."""
    code = discounts_admin.create_code(
        session=session, data=DiscountInput.model_validate(body.model_dump())
    )
    return DiscountPublic.of(code)


@router.patch("/{discount_id}", responses=errors(404, 409, 422), summary="Edit a code")
def update_code(
    discount_id: DiscountIdPath, body: DiscountUpdate, user: OperatorUser, session: SessionDep
) -> DiscountPublic:
    """Change the fields sent; `active: false` stops it applying to new orders. A redeemed
    code keeps its kind, and a code any order carries keeps its text."""
    current = discounts_admin.get_code(session=session, code_id=discount_id)
    data = DiscountInput.of(current).but(**body.changes())
    code = discounts_admin.update_code(session=session, code_id=discount_id, data=data)
    return DiscountPublic.of(code)
