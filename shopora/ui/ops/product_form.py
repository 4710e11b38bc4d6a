"""Create and edit a product: one form, every field with its own error slot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from shopora.config import ROOT
from shopora.errors import ShoporaError, ValidationFailed
from shopora.models import Category, Product
from shopora.models.catalog import MAX_THRESHOLD
from shopora.services import product_images
from shopora.services.actors import Actor
from shopora.services.products_admin import ProductInput
from shopora.ui.facade import ops
from shopora.ui.format import currency_symbol
from shopora.ui.ops.amounts import cents_to_text, dollars_to_cents
from shopora.ui.ops.fields import Slots, attempt

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "svg"]


def image_file(image: str | None) -> Path | None:
    """Uploads are stored relative to the project, seed pictures relative to data/."""
    if not image:
        return None
    for base in (ROOT, ROOT / "data"):
        candidate = base / image
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Typed:
    """The form's raw values, before the price and image are turned into what the service takes."""

    name: str
    sku: str
    category_id: int | None
    price: str
    description: str
    active: bool
    featured: bool
    threshold: int
    upload: object | None


def product_form(
    key: str, categories: list[Category], start: ProductInput | None
) -> tuple[Typed, Slots] | None:
    """Draw the form; the typed values and the error slots when it was submitted."""
    names = {c.id or 0: c.name for c in categories}
    slots = Slots()
    with st.form(key, border=False):
        left, right = st.columns(2)
        with left:
            name = st.text_input("Name", start.name if start else "", key=f"{key}_name")
            slots.under("name")
            sku = st.text_input(
                "SKU",
                start.sku if start else "",
                help="3–40 capital letters, digits or dashes; unique.",
                key=f"{key}_sku",
            )
            slots.under("sku")
            category = st.selectbox(
                "Category",
                list(names),
                index=list(names).index(start.category_id) if start else None,
                format_func=names.__getitem__,
                placeholder="Choose…",
                key=f"{key}_category",
            )
            slots.under("category_id")
            price = st.text_input(
                f"Price ({currency_symbol()})",
                cents_to_text(start.price_cents) if start else "",
                placeholder="24.99",
                key=f"{key}_price",
            )
            slots.under("price_cents")
        with right:
            threshold = st.number_input(
                "Low-stock threshold",
                0,
                MAX_THRESHOLD,
                start.low_stock_threshold if start else 5,
                step=1,
                key=f"{key}_threshold",
            )
            slots.under("low_stock_threshold")
            upload = st.file_uploader(
                "Image",
                type=IMAGE_TYPES,
                max_upload_size=product_images.MAX_IMAGE_BYTES // (1024 * 1024),
                help="Replaces the current picture. PNG, JPEG, WebP or SVG.",
                key=f"{key}_image",
            )
            slots.under("image")
            active = st.checkbox(
                "On sale (active)", start.active if start else True, key=f"{key}_active"
            )
            featured = st.checkbox(
                "Featured on the shop's front page",
                start.featured if start else False,
                key=f"{key}_featured",
            )
        description = st.text_area(
            "Description", start.description if start else "", height=100, key=f"{key}_desc"
        )
        slots.under("description")
        submitted = st.form_submit_button(
            "Save changes" if start else "Create product", type="primary", icon=":material/save:"
        )
    if not submitted:
        return None
    typed = Typed(name, sku, category, price, description, active, featured, int(threshold), upload)
    return typed, slots


def to_input(typed: Typed, slots: Slots, image: str | None) -> ProductInput | None:
    """The service's input, or None after showing why the price, category or image is wrong."""
    try:
        price_cents = dollars_to_cents(typed.price, field="price_cents")
    except ShoporaError as exc:
        slots.show(exc)
        return None
    if typed.category_id is None:
        slots.show(ValidationFailed("Choose a category.", field="category_id"))
        return None
    if typed.upload is not None:
        upload = typed.upload
        try:
            image = product_images.save_product_image(
                data=upload.getvalue(),  # type: ignore[attr-defined]
                filename=upload.name,  # type: ignore[attr-defined]
            )
        except ShoporaError as exc:
            slots.show(exc)
            return None
    try:
        # ProductInput checks every field as it is built (the rules are ProductBase's).
        return ProductInput(
            name=typed.name,
            sku=typed.sku,
            category_id=typed.category_id,
            price_cents=price_cents,
            description=typed.description,
            active=typed.active,
            featured=typed.featured,
            low_stock_threshold=typed.threshold,
            image=image,
        )
    except ShoporaError as exc:
        slots.show(exc)
        return None


NEW_FORM = "new_product"
NEW_FORM_ROUND = "new_product_round"


def _new_form_key() -> str:
    """A created product empties the form: its next round has new widget keys, so it starts
    from the defaults instead of the last product's values."""
    round_ = int(st.session_state.get(NEW_FORM_ROUND, 0))
    return NEW_FORM if round_ == 0 else f"{NEW_FORM}_r{round_}"


def create_form(categories: list[Category], actor: Actor) -> Product | None:
    """The new product once created (it starts with no stock)."""
    submitted = product_form(_new_form_key(), categories, None)
    if submitted is None:
        return None
    typed, slots = submitted
    data = to_input(typed, slots, None)
    if data is None:
        return None
    product = attempt(lambda: ops.create_product(data=data, actor=actor), slots)
    if product is not None:
        st.session_state[NEW_FORM_ROUND] = int(st.session_state.get(NEW_FORM_ROUND, 0)) + 1
    return product


def edit_form(product: Product, categories: list[Category], actor: Actor) -> Product | None:
    """The product as saved, or None (not submitted, or refused with the reasons shown)."""
    start = ProductInput.of(product)
    submitted = product_form(f"edit_product_{product.id}", categories, start)
    if submitted is None:
        return None
    typed, slots = submitted
    data = to_input(typed, slots, start.image)
    if data is None:
        return None
    return attempt(
        lambda: ops.update_product(product_id=product.id or 0, data=data, actor=actor),
        slots,
    )
