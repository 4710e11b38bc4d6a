"""The shipping address form and "Place order"; a refused field's message shows under it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from shopora.models import Order
from shopora.services.shipping import COUNTRIES, ShippingAddress
from shopora.ui.auth import SessionUser

LABELS = {
    "name": "Full name",
    "line1": "Address line 1",
    "line2": "Address line 2",
    "city": "City",
    "region": "State / region",
    "postal_code": "Postal code",
    "country": "Country",
}

OPTIONAL = {"line2", "region"}


@dataclass
class Submitted:
    """What the form sent, and where to put a message about each field."""

    address: ShippingAddress
    slots: dict[str, DeltaGenerator]

    def refuse(self, field: str | None, message: str) -> None:
        label = LABELS.get(field or "")
        slot = self.slots.get(field or "", self.slots["form"])
        slot.error(f"**{label}**: {message}" if label else message, icon=":material/error:")


def _defaults(user: SessionUser, last: Order | None) -> dict[str, str]:
    """The customer's name, and the address of their last order if they have one."""
    if last is None:
        return {"name": user.name, "country": next(iter(COUNTRIES))}
    return {
        "name": last.shipping_name,
        "line1": last.shipping_line1,
        "line2": last.shipping_line2,
        "city": last.shipping_city,
        "region": last.shipping_region,
        "postal_code": last.shipping_postal_code,
        "country": last.shipping_country,
    }


class _Fields:
    def __init__(self, defaults: dict[str, str]) -> None:
        self.defaults = defaults
        self.slots: dict[str, DeltaGenerator] = {}

    def text(
        self, name: str, *, placeholder: str | None = None, autocomplete: str | None = None
    ) -> str:
        label = LABELS[name] + (" (optional)" if name in OPTIONAL else "")
        value = st.text_input(
            label,
            value=self.defaults.get(name, ""),
            key=f"checkout_{name}",
            placeholder=placeholder,
            autocomplete=autocomplete,
        )
        self.slots[name] = st.empty()
        return value

    def country(self) -> str:
        codes = list(COUNTRIES)
        chosen = st.selectbox(
            LABELS["country"],
            options=codes,
            index=codes.index(self.defaults["country"]),
            format_func=COUNTRIES.__getitem__,
            key="checkout_country",
        )
        self.slots["country"] = st.empty()
        return str(chosen)


def show(user: SessionUser, last: Order | None, *, can_place: bool) -> Submitted | None:
    """The form, prefilled; the submitted address, or None until "Place order"."""
    fields = _Fields(_defaults(user, last))
    with st.form("checkout_address", border=True):
        st.subheader("Shipping address")
        name = fields.text("name", autocomplete="name")
        line1 = fields.text("line1", placeholder="Street and number")
        line2 = fields.text("line2", placeholder="Apartment, suite, floor")
        city_col, region_col, postal_col = st.columns([2, 1, 1])
        with city_col:
            city = fields.text("city", autocomplete="address-level2")
        with region_col:
            region = fields.text("region", placeholder="e.g. IL", autocomplete="address-level1")
        with postal_col:
            postal = fields.text("postal_code", autocomplete="postal-code")
        country = fields.country()
        fields.slots["form"] = st.empty()
        submitted = st.form_submit_button(
            "Place order",
            type="primary",
            icon=":material/shopping_bag:",
            disabled=not can_place,
            width="stretch",
        )
    if not submitted:
        return None
    address = ShippingAddress(
        name=name,
        line1=line1,
        line2=line2,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
    )
    return Submitted(address, fields.slots)
