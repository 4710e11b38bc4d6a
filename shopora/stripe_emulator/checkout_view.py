"""HTML of the hosted payment page: order summary on the left, card form on the right.

Input names and ids (email, cardNumber, cardExpiry, cardCvc, billingName,
billingPostalCode, submit, back, error) are a contract with browser tests: keep them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .cards import DECLINE_CARDS, SUCCESS_CARDS, Decline
from .html import esc
from .money import format_money
from .store import Record

_COUNTRIES = (
    ("US", "United States"), ("CA", "Canada"), ("GB", "United Kingdom"), ("DE", "Germany"),
    ("FR", "France"), ("NL", "Netherlands"), ("ES", "Spain"), ("IT", "Italy"),
    ("AU", "Australia"), ("JP", "Japan"), ("IN", "India"), ("BR", "Brazil"),
)  # fmt: skip

# Disables the button on submit (a second click would only re-show the result) and lets
# a click on a test card number fill the form.
_SCRIPT = """
document.querySelector('form').addEventListener('submit', function () {
  var b = document.getElementById('submit'); b.disabled = true; b.textContent = 'Processing…';
});
document.querySelectorAll('[data-card]').forEach(function (el) {
  el.addEventListener('click', function () {
    document.getElementById('cardNumber').value = el.dataset.card;
    var e = document.getElementById('cardExpiry'); if (!e.value) e.value = '12 / 34';
    var c = document.getElementById('cardCvc'); if (!c.value) c.value = '123';
  });
});
"""


def payment_form(
    record: Record, values: Mapping[str, str], errors: dict[str, str], decline: Decline | None
) -> tuple[str, str]:
    session = record.data
    body = (
        '<div class="checkout">'
        f"{_summary(session, record.extra)}"
        f'<section class="payment">{_form(session, values, errors, decline)}'
        f"{_test_cards() if session['amount_total'] else ''}</section></div>"
    )
    return body, _SCRIPT


def _summary(session: dict[str, Any], extra: dict[str, Any]) -> str:
    currency = session["currency"]
    back = ""
    if session["cancel_url"]:
        back = f'<a id="back" class="back" href="{esc(session["cancel_url"])}">← Back</a>'
    items = "".join(
        _item(item, product, currency)
        for item, product in zip(extra["line_items"], extra["products"], strict=True)
    )
    return (
        f'<section class="summary">{back}'
        '<div class="pay-label">Pay<span class="pill">Test mode</span></div>'
        f'<div class="amount" id="amount-total">'
        f"{esc(format_money(session['amount_total'], currency))}</div>"
        f'<ul class="items" id="line-items">{items}</ul>'
        f"{_totals(session, extra)}</section>"
    )


def _item(item: dict[str, Any], product: dict[str, Any], currency: str) -> str:
    image = ""
    if product["images"]:
        image = f'<img src="{esc(product["images"][0])}" alt="" loading="lazy">'
    description = product["description"]
    unit = format_money(item["price"]["unit_amount"], currency)
    return (
        f'<li class="item">{image}<div class="item-main">'
        f'<div class="item-name">{esc(item["description"])}</div>'
        + (f'<div class="muted">{esc(description)}</div>' if description else "")
        + f'<div class="muted">Qty {item["quantity"]} × {esc(unit)}</div></div>'
        f'<div class="item-amount">{esc(format_money(item["amount_subtotal"], currency))}'
        "</div></li>"
    )


def _totals(session: dict[str, Any], extra: dict[str, Any]) -> str:
    currency = session["currency"]
    details = session["total_details"]
    rows = [("Subtotal", "amount-subtotal", format_money(session["amount_subtotal"], currency))]
    if session["discounts"]:
        amount = format_money(-details["amount_discount"], currency)
        rows.append((f"Discount ({extra['coupon_name']})", "amount-discount", amount))
    if session["shipping_cost"] is not None:
        amount = format_money(details["amount_shipping"], currency)
        rows.append((f"Shipping ({extra['shipping_name']})", "amount-shipping", amount))
    html = "".join(
        f'<div><dt>{esc(label)}</dt><dd id="{key}">{esc(value)}</dd></div>'
        for label, key, value in rows
    )
    total = format_money(session["amount_total"], currency)
    return (
        f'<dl class="totals">{html}<div class="grand"><dt>Total due</dt>'
        f'<dd id="amount-due">{esc(total)}</dd></div></dl>'
    )


_NUMERIC = {"inputmode": "numeric"}
_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "email": ("Email", {"type": "email", "autocomplete": "email"}),
    "cardNumber": (
        "Card number",
        {**_NUMERIC, "autocomplete": "cc-number", "placeholder": "1234 1234 1234 1234"},
    ),
    "cardExpiry": ("Expiration", {**_NUMERIC, "autocomplete": "cc-exp", "placeholder": "MM / YY"}),
    "cardCvc": ("CVC", {**_NUMERIC, "autocomplete": "cc-csc", "placeholder": "CVC"}),
    "billingName": ("Cardholder name", {"autocomplete": "cc-name", "placeholder": "Full name"}),
    "billingPostalCode": (
        "Postal code",
        {"autocomplete": "postal-code", "placeholder": "ZIP / postal code"},
    ),
}


def _input(name: str, values: Mapping[str, str], errors: dict[str, str]) -> str:
    label, attrs = _FIELDS[name]
    extra = "".join(f' {key}="{esc(value)}"' for key, value in attrs.items())
    invalid = ' class="invalid" aria-invalid="true"' if name in errors else ""
    return (
        f'<input id="{name}" name="{name}" value="{esc(values.get(name, ""))}"'
        f' aria-label="{esc(label)}"{invalid}{extra}>'
    )


def _error(name: str, errors: dict[str, str]) -> str:
    if name not in errors:
        return ""
    return f'<div class="field-error" id="{name}-error">{esc(errors[name])}</div>'


def _form(
    session: dict[str, Any],
    values: Mapping[str, str],
    errors: dict[str, str],
    decline: Decline | None,
) -> str:
    alert = ""
    if decline is not None:
        alert = f'<div id="error" class="alert" role="alert">{esc(decline.message)}</div>'
    paying = session["amount_total"] > 0
    total = format_money(session["amount_total"], session["currency"])
    return (
        f"<h1>{'Pay with card' if paying else 'Confirm your order'}</h1>{alert}"
        '<form method="post" novalidate>'
        f'<label for="email">Email</label>{_input("email", values, errors)}'
        f"{_error('email', errors)}"
        f"{_card_group(values, errors) if paying else ''}"
        '<label for="billingName">Cardholder name</label>'
        f"{_input('billingName', values, errors)}"
        '<label for="billingCountry">Country or region</label><div class="group">'
        f"{_country_select(values)}{_input('billingPostalCode', values, errors)}"
        f"</div>{_error('billingPostalCode', errors)}"
        f'<button id="submit" type="submit">{esc(f"Pay {total}" if paying else "Complete order")}'
        "</button></form>"
    )


def _card_group(values: Mapping[str, str], errors: dict[str, str]) -> str:
    return (
        '<label for="cardNumber">Card information</label><div class="group">'
        f"{_input('cardNumber', values, errors)}"
        f'<div class="row">{_input("cardExpiry", values, errors)}'
        f"{_input('cardCvc', values, errors)}</div></div>"
        + "".join(_error(name, errors) for name in ("cardNumber", "cardExpiry", "cardCvc"))
    )


def _country_select(values: Mapping[str, str]) -> str:
    chosen = values.get("billingCountry", "US")
    options = "".join(
        f'<option value="{code}"{" selected" if code == chosen else ""}>{esc(name)}</option>'
        for code, name in _COUNTRIES
    )
    return (
        f'<select id="billingCountry" name="billingCountry" aria-label="Country">{options}</select>'
    )


def _test_cards() -> str:
    def row(number: str, label: str, result: str) -> str:
        spaced = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return (
            f'<tr><td><code class="use" data-card="{number}" title="Use this card">'
            f"{spaced}</code></td><td>{esc(label)}</td><td>{esc(result)}</td></tr>"
        )

    rows = [row(card.number, card.label, "Succeeds") for card in SUCCESS_CARDS]
    rows += [
        row(number, decline.decline_code or decline.code, decline.message)
        for number, decline in DECLINE_CARDS.items()
    ]
    return (
        '<details class="test-cards" id="test-cards"><summary>Stripe test cards</summary>'
        "<p>Any future expiry (e.g. 12 / 34), any 3-digit CVC (4 for American Express) "
        "and any postal code. Click a number to use it.</p>"
        f"<table><tr><th>Number</th><th>Card</th><th>Result</th></tr>{''.join(rows)}</table>"
        "</details>"
    )
