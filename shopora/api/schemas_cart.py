"""The signed-in customer's cart, and its price with a shipping method and a code."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from shopora.api.schemas_common import BodyId, BodyInt, Text40, display
from shopora.models import MAX_LINE_QUANTITY, ShippingMethod
from shopora.services.cart import CartLine, CartView
from shopora.services.checkout import Quote

_LINE_EXAMPLE: JsonDict = {
    "product_id": 1,
    "sku": "AUD-001",
    "name": "Aurora Wireless Headphones",
    "slug": "aurora-wireless-headphones",
    "image": "images/aurora-wireless-headphones.svg",
    "unit_price_cents": 12900,
    "quantity": 2,
    "line_total_cents": 25800,
    "line_total_display": "$258.00",
    "available": 25,
    "problem": None,
}


class AddToCart(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"product_id": 1, "quantity": 2}]}}

    product_id: BodyId
    quantity: BodyInt = Field(default=1, ge=1, le=MAX_LINE_QUANTITY)


class SetQuantity(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"quantity": 3}]}}

    quantity: BodyInt = Field(ge=0, le=MAX_LINE_QUANTITY, description="0 removes the line.")


class CartLinePublic(BaseModel):
    model_config = {"json_schema_extra": {"examples": [_LINE_EXAMPLE]}}

    product_id: int
    sku: str
    name: str
    slug: str
    image: str | None
    unit_price_cents: int
    quantity: int
    line_total_cents: int
    line_total_display: str
    available: int
    problem: str | None = Field(
        description="Why the line cannot be bought as it stands (sold out, too few left...)."
    )

    @classmethod
    def of(cls, line: CartLine, currency: str) -> CartLinePublic:
        return cls(
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            slug=line.slug,
            image=line.image,
            unit_price_cents=line.unit_price_cents,
            quantity=line.quantity,
            line_total_cents=line.line_total_cents,
            line_total_display=display(line.line_total_cents, currency),
            available=max(line.available, 0),
            problem=line.problem,
        )


class CartPublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "lines": [_LINE_EXAMPLE],
                    "item_count": 2,
                    "subtotal_cents": 25800,
                    "subtotal_display": "$258.00",
                }
            ]
        }
    }

    lines: list[CartLinePublic]
    item_count: int
    subtotal_cents: int
    subtotal_display: str

    @classmethod
    def of(cls, cart: CartView, currency: str) -> CartPublic:
        return cls(
            lines=[CartLinePublic.of(line, currency) for line in cart.lines],
            item_count=cart.item_count,
            subtotal_cents=cart.subtotal_cents,
            subtotal_display=display(cart.subtotal_cents, currency),
        )


class ValidateDiscount(BaseModel):
    model_config = {
        "json_schema_extra": {"examples": [{"code": "WELCOME10", "shipping_method": "standard"}]}
    }

    code: Text40
    shipping_method: ShippingMethod = ShippingMethod.STANDARD


class QuotePublic(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "valid": True,
                    "code": "WELCOME10",
                    "reason": None,
                    "message": "WELCOME10 takes $25.80 off.",
                    "subtotal_cents": 25800,
                    "discount_cents": 2580,
                    "shipping_cents": 0,
                    "total_cents": 23220,
                    "total_display": "$232.20",
                }
            ]
        }
    }

    valid: bool
    code: str | None = Field(description="The code as applied, when it applies.")
    reason: str | None = Field(
        description="Why it does not apply: unknown, inactive, not_started, expired, "
        "below_minimum, used_up, already_used, or empty_cart."
    )
    message: str
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    total_cents: int
    total_display: str

    @classmethod
    def of(cls, quote: Quote, currency: str) -> QuotePublic:
        totals = quote.totals
        if quote.discount_code:
            valid, reason = True, None
            message = f"{quote.discount_code} takes {display(totals.discount_cents, currency)} off."
            if totals.discount_cents == 0 and totals.shipping_cents == 0:
                message = f"{quote.discount_code} applied: shipping is free."
        elif quote.discount_error is not None:
            valid, reason, message = (
                False,
                quote.discount_error.reason,
                quote.discount_error.message,
            )
        else:
            valid, reason, message = False, "empty_cart", "Add something to your cart first."
        return cls(
            valid=valid,
            code=quote.discount_code,
            reason=reason,
            message=message,
            subtotal_cents=totals.subtotal_cents,
            discount_cents=totals.discount_cents,
            shipping_cents=totals.shipping_cents,
            total_cents=totals.total_cents,
            total_display=display(totals.total_cents, currency),
        )
