"""Where an order ships and at what rates: the countries we ship to, the checks on a
shipping address, and the shipping rates from settings.

Separate from `orders` because quotes, fulfilment, the demo history and the address form use
these without placing or reading any order.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from shopora.config import get_settings
from shopora.errors import ValidationFailed
from shopora.services.pricing import ShippingRates

COUNTRIES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "DE": "Germany",
    "FR": "France",
    "NL": "Netherlands",
    "ES": "Spain",
    "IT": "Italy",
    "AU": "Australia",
    "NZ": "New Zealand",
}
_POSTAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    region: str = ""  # state, province or county; optional (not every country has one)

    def cleaned(self) -> ShippingAddress:
        """Trimmed and checked; each problem names its field."""
        values = {key: " ".join(str(value).split()) for key, value in asdict(self).items()}
        values["country"] = values["country"].upper()
        limits = {"name": 120, "line1": 200, "line2": 200, "city": 100, "region": 100}
        labels = {"name": "Full name", "line1": "Address", "city": "City"}
        for field, label in labels.items():
            if not values[field]:
                raise ValidationFailed(f"{label} is required.", field=field)
        for field, limit in limits.items():
            if len(values[field]) > limit:
                raise ValidationFailed(f"Keep it under {limit} characters.", field=field)
        if not _POSTAL.match(values["postal_code"]):
            raise ValidationFailed("Enter a valid postal code.", field="postal_code")
        if values["country"] not in COUNTRIES:
            raise ValidationFailed("We don't ship to that country yet.", field="country")
        return ShippingAddress(**values)


def shipping_rates() -> ShippingRates:
    settings = get_settings()
    return ShippingRates(
        standard_cents=settings.shipping_standard_cents,
        express_cents=settings.shipping_express_cents,
        free_standard_threshold_cents=settings.free_shipping_threshold_cents,
    )
