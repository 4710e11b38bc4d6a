"""Where an order ships and at what rates: the countries we ship to, the checks on a
shipping address, and the shipping rates from settings.

Separate from `orders` because quotes, fulfilment, the demo history and the address form use
these without placing or reading any order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pydantic import ValidationError

from shopora.config import get_settings
from shopora.errors import ValidationFailed
from shopora.models.addresses import ShippingAddressBase
from shopora.services.input_rules import in_plain_words
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
_REQUIRED = {"name": "Full name", "line1": "Address", "city": "City"}
# A postal code or country that breaks any rule gets one message, whatever the rule.
_WHOLE_FIELD = {
    "postal_code": "Enter a valid postal code.",
    "country": "We don't ship to that country yet.",
}


@dataclass(frozen=True)
class ShippingAddress:
    """An address as entered (positional or by name, like every caller builds it); its fields
    are ShippingAddressBase's, and `cleaned()` checks it with that Base's rules."""

    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    region: str = ""  # state, province or county; optional (not every country has one)

    def cleaned(self) -> ShippingAddress:
        """Trimmed and checked; each problem names its field in plain words."""
        try:
            checked = ShippingAddressBase.model_validate(asdict(self))
        except ValidationError as exc:
            raise _in_plain_words(exc) from None
        if checked.country not in COUNTRIES:
            raise ValidationFailed(_WHOLE_FIELD["country"], field="country")
        return ShippingAddress(**checked.model_dump())


def _in_plain_words(exc: ValidationError) -> ValidationFailed:
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    if error["type"] == "string_too_short" and field in _REQUIRED:
        return ValidationFailed(f"{_REQUIRED[field]} is required.", field=field)
    if error["type"] == "string_too_long" and field not in _WHOLE_FIELD:
        limit = (error.get("ctx") or {}).get("max_length")
        return ValidationFailed(f"Keep it under {limit} characters.", field=field)
    return in_plain_words(exc, _WHOLE_FIELD, "Address")


def shipping_rates() -> ShippingRates:
    settings = get_settings()
    return ShippingRates(
        standard_cents=settings.shipping_standard_cents,
        express_cents=settings.shipping_express_cents,
        free_standard_threshold_cents=settings.free_shipping_threshold_cents,
    )
