"""Reading `POST /v1/checkout/sessions` params the way Stripe validates them.

Only the syntax and per-field rules live here; rules that need state or time (coupons,
the expiry window, totals) are checked by `sessions.create_session`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import invalid, missing, unsupported
from .money import CURRENCIES
from .params import Params

_TOP_LEVEL = {
    "mode", "line_items", "success_url", "cancel_url", "customer_email",
    "client_reference_id", "metadata", "expires_at", "discounts", "shipping_options",
    "payment_method_types", "locale", "expand", "payment_intent_data",
}  # fmt: skip
_LOCALES = {
    "auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi", "fil",
    "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl",
    "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th", "tr", "vi", "zh", "zh-HK",
    "zh-TW",
}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_EXPANDABLE = {"line_items", "payment_intent", "payment_intent.latest_charge"}


@dataclass
class LineDraft:
    name: str
    description: str | None
    images: list[str]
    currency: str
    unit_amount: int
    quantity: int
    param: str


@dataclass
class ShippingDraft:
    display_name: str
    amount: int
    currency: str
    metadata: dict[str, str]
    param: str


@dataclass
class SessionDraft:
    lines: list[LineDraft]
    success_url: str
    cancel_url: str | None
    customer_email: str | None
    client_reference_id: str | None
    metadata: dict[str, str]
    expires_at: int | None
    coupon_id: str | None
    shipping: ShippingDraft | None
    locale: str | None
    expand: list[str] = field(default_factory=list)
    # payment_intent_data[metadata]: copied onto the payment intent the session creates.
    intent_metadata: dict[str, str] = field(default_factory=dict)


def read_session_params(params: Params) -> SessionDraft:
    params.reject_unknown(_TOP_LEVEL)
    _read_mode(params)
    _read_payment_method_types(params)
    return SessionDraft(
        lines=_read_line_items(params),
        success_url=_required_url(params, "success_url"),
        cancel_url=_url(params, "cancel_url"),
        customer_email=_email(params, "customer_email"),
        client_reference_id=params.string("client_reference_id", max_length=200),
        metadata=params.metadata(),
        expires_at=params.integer("expires_at"),
        coupon_id=_read_discounts(params),
        shipping=_read_shipping(params),
        locale=params.choice("locale", sorted(_LOCALES)),
        expand=read_expand(params, SESSION_EXPANDABLE),
        intent_metadata=_read_intent_data(params),
    )


def _read_intent_data(params: Params) -> dict[str, str]:
    data = params.child("payment_intent_data")
    if data is None:
        return {}
    data.reject_unknown({"metadata", "description"})
    data.string("description", max_length=1000)
    return data.metadata()


def read_expand(params: Params, allowed: set[str]) -> list[str]:
    expand = params.strings("expand") or []
    for path in expand:
        if path not in allowed:
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
    return expand


def _read_mode(params: Params) -> None:
    mode = params.choice("mode", ("payment", "setup", "subscription"), required=True)
    if mode != "payment":
        raise unsupported("mode", f"mode={mode}; only `payment` Checkout Sessions exist here")


def _read_payment_method_types(params: Params) -> None:
    for index, kind in enumerate(params.strings("payment_method_types") or []):
        if kind != "card":
            raise unsupported(f"payment_method_types[{index}]", f"the payment method type `{kind}`")


def _read_line_items(params: Params) -> list[LineDraft]:
    items = params.children("line_items", max_items=100)
    if not items:
        raise missing("line_items")
    return [_read_line_item(item) for item in items]


def _read_line_item(item: Params) -> LineDraft:
    item.reject_unknown({"price", "price_data", "quantity"})
    if item.has("price"):
        raise unsupported(item.name("price"), "`price` ids; send `price_data` instead")
    price = item.need_child("price_data")
    price.reject_unknown({"currency", "unit_amount", "product_data"})
    currency = _currency(price, "currency")
    unit_amount = price.need_integer("unit_amount", minimum=0)
    product = price.need_child("product_data")
    product.reject_unknown({"name", "description", "images", "metadata"})
    product.metadata()
    quantity = item.need_integer("quantity", minimum=1)
    return LineDraft(
        name=product.need_string("name", max_length=250),
        description=product.string("description", max_length=40000),
        images=_images(product),
        currency=currency,
        unit_amount=unit_amount,
        quantity=quantity,
        param=item.prefix,
    )


def _images(product: Params) -> list[str]:
    images = product.strings("images", max_items=8) or []
    for index, image in enumerate(images):
        if not _is_web_url(image):
            raise invalid(f"Not a valid URL: {image}", f"{product.name('images')}[{index}]")
    return images


def _read_discounts(params: Params) -> str | None:
    discounts = params.children("discounts")
    if not discounts:
        return None
    if len(discounts) > 1:
        raise invalid("You can only apply one discount to a Checkout Session.", "discounts")
    discount = discounts[0]
    discount.reject_unknown({"coupon", "promotion_code"})
    if discount.has("promotion_code"):
        raise unsupported(discount.name("promotion_code"), "promotion codes; use `coupon`")
    return discount.string("coupon", required=True)


def _read_shipping(params: Params) -> ShippingDraft | None:
    options = params.children("shipping_options")
    if not options:
        return None
    if len(options) > 1:
        raise unsupported("shipping_options", "more than one shipping option")
    option = options[0]
    option.reject_unknown({"shipping_rate", "shipping_rate_data"})
    if option.has("shipping_rate"):
        raise unsupported(option.name("shipping_rate"), "shipping rate ids")
    rate = option.need_child("shipping_rate_data")
    rate.reject_unknown({"type", "fixed_amount", "display_name", "metadata"})
    rate.choice("type", ("fixed_amount",))
    fixed = rate.need_child("fixed_amount")
    fixed.reject_unknown({"amount", "currency"})
    amount = fixed.need_integer("amount", minimum=0)
    return ShippingDraft(
        display_name=rate.need_string("display_name", max_length=100),
        amount=amount,
        currency=_currency(fixed, "currency"),
        metadata=rate.metadata(),
        param=fixed.name("currency"),
    )


def _currency(params: Params, key: str) -> str:
    currency = params.need_string(key).lower()
    if currency not in CURRENCIES:
        raise invalid(
            f"Invalid currency: {currency}. The Stripe emulator supports these currencies: "
            + ", ".join(sorted(CURRENCIES)),
            params.name(key),
        )
    return currency


def _url(params: Params, key: str) -> str | None:
    return _required_url(params, key) if params.has(key) else None


def _required_url(params: Params, key: str) -> str:
    value = params.need_string(key)
    if not _is_web_url(value):
        raise invalid("Not a valid URL", params.name(key), "url_invalid")
    return value


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _email(params: Params, key: str) -> str | None:
    value = params.string(key, max_length=800)
    if value is not None and not _EMAIL.match(value):
        raise invalid(f"Invalid email address: {value}", params.name(key), "email_invalid")
    return value
