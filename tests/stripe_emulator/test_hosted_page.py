"""The hosted payment page: what it shows, which cards pay, and what a decline does."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
import stripe

from .harness import WebhookReceiver, card_form, http, pay

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def session(client: stripe.StripeClient, session_params: dict[str, Any]) -> stripe.checkout.Session:
    coupon = client.v1.coupons.create({"amount_off": 500, "currency": "usd", "name": "SPRING"})
    return client.v1.checkout.sessions.create(
        {
            **session_params,
            "discounts": [{"coupon": coupon.id}],
            "shipping_options": [
                {"shipping_rate_data": {"type": "fixed_amount", "display_name": "Express",
                                        "fixed_amount": {"amount": 1200, "currency": "usd"}}}
            ],
        }
    )  # fmt: skip


def test_the_page_shows_the_banner_items_discount_shipping_and_total(
    session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    assert session.url is not None

    page = http.get(session.url)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "TEST MODE — Stripe emulator, no real money moves" in html
    assert "Mechanical keyboard" in html and "Desk mat" in html
    assert "$30.00" in html and "$9.99" in html
    assert "Discount (SPRING)" in html and "-$5.00" in html
    assert "Shipping (Express)" in html and "$12.00" in html
    assert 'id="amount-due">$46.99<' in html
    assert f'id="back" class="back" href="{receiver.url}/cancel"' in html
    assert 'id="email" name="email" value="ada@example.com"' in html
    for field in ("cardNumber", "cardExpiry", "cardCvc", "billingName", "billingPostalCode"):
        assert f'id="{field}" name="{field}"' in html
    assert 'id="submit"' in html and "Pay $46.99" in html
    assert "4000 0566 5566 5556" in html  # the test card list
    assert "<link" not in html and 'src="http' not in html  # no external assets


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242 4242 4242 4242", "visa"),
        ("4000 0566 5566 5556", "visa"),
        ("5555 5555 5555 4444", "mastercard"),
        ("3782 822463 10005", "amex"),
    ],
)
def test_a_test_card_pays_and_redirects_to_success_url_with_the_session_id(
    client: stripe.StripeClient,
    session: stripe.checkout.Session,
    receiver: WebhookReceiver,
    number: str,
    brand: str,
) -> None:
    assert session.url is not None
    cvc = "1234" if brand == "amex" else "123"

    response = http.post(session.url, data=card_form(number, cardCvc=cvc), follow_redirects=True)

    assert response.history[0].status_code == 303
    assert str(response.url) == f"{receiver.url}/success?session_id={session.id}"
    paid = client.v1.checkout.sessions.retrieve(session.id, {"expand": ["payment_intent"]})
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    intent = paid.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    charge = client.v1.charges.retrieve(str(intent.latest_charge))
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.card is not None
    assert charge.payment_method_details.card.brand == brand
    assert charge.payment_method_details.card.last4 == number.replace(" ", "")[-4:]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000 0000 0000 0002", "Your card was declined."),
        ("4000 0000 0000 9995", "Your card has insufficient funds."),
        ("4000 0000 0000 0069", "Your card has expired."),
        ("4000 0000 0000 0127", "Your card's security code is incorrect."),
        ("4111 1111 1111 1111", "Your card was declined. Your request was in test mode, but "
                                "used a non test card."),
    ],
)  # fmt: skip
def test_a_decline_shows_the_reason_and_leaves_the_session_payable(
    client: stripe.StripeClient, session: stripe.checkout.Session, number: str, message: str
) -> None:
    assert session.url is not None

    declined = pay(session.url, number)

    assert declined.status_code == 402
    assert f'id="error" class="alert" role="alert">{message}'.replace("'", "&#x27;") in (
        declined.text
    )
    assert 'id="cardNumber" name="cardNumber" value="' + number + '"' in declined.text
    still = client.v1.checkout.sessions.retrieve(session.id)
    assert (still.status, still.payment_status, still.url) == ("open", "unpaid", session.url)
    assert pay(session.url).status_code == 303


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cardNumber": "4242 4242 4242 4241"}, "cardNumber", "Your card number is invalid."),
        ({"cardNumber": "4242"}, "cardNumber", "Your card number is incomplete."),
        ({"cardExpiry": "01 / 20"}, "cardExpiry", "Your card's expiration year is in the past."),
        ({"cardExpiry": "13 / 34"}, "cardExpiry", "Your card's expiration date is invalid."),
        ({"cardExpiry": "1234"}, "cardExpiry", ""),  # MMYY without a slash is accepted
        ({"cardCvc": "12"}, "cardCvc", "Your card's security code is incomplete."),
        ({"billingPostalCode": ""}, "billingPostalCode", "Your postal code is incomplete."),
        ({"email": "ada"}, "email", "Your email address is invalid."),
    ],
)
def test_invalid_fields_are_shown_inline_and_keep_what_was_typed_except_the_cvc(
    session: stripe.checkout.Session, fields: dict[str, str], field: str, message: str
) -> None:
    assert session.url is not None

    response = pay(session.url, **{"cardNumber": "4242 4242 4242 4242", **fields})

    if not message:
        assert response.status_code == 303
        return
    assert response.status_code == 200
    assert f'id="{field}-error">{message}'.replace("'", "&#x27;") in response.text
    assert 'value="Ada Lovelace"' in response.text
    assert 'id="cardCvc" name="cardCvc" value=""' in response.text
    assert 'id="error"' not in response.text


def test_a_paid_session_page_says_so_and_links_to_success_url(
    session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    assert session.url is not None
    pay(session.url)

    page = http.get(session.url)

    assert page.status_code == 200
    assert "already paid" in page.text
    assert f'id="continue" href="{receiver.url}/success?session_id={session.id}"' in page.text


def test_a_double_submit_pays_once(
    client: stripe.StripeClient, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    assert session.url is not None
    url = session.url
    results: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: results.append(pay(url))) for _ in range(4)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in results] == [303] * 4
    assert {r.headers["location"] for r in results} == {
        f"{receiver.url}/success?session_id={session.id}"
    }
    succeeded = client.v1.events.list({"type": "payment_intent.succeeded"})
    assert len(succeeded.data) == 1


def test_an_expired_session_page_links_back_to_cancel_url(
    client: stripe.StripeClient, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    assert session.url is not None
    client.v1.checkout.sessions.expire(session.id)

    page = http.get(session.url)
    submit = pay(session.url)

    assert "expired" in page.text
    assert f'id="back" href="{receiver.url}/cancel"' in page.text
    assert submit.status_code == 200 and "expired" in submit.text
    assert client.v1.checkout.sessions.retrieve(session.id).payment_status == "unpaid"


def test_an_unknown_session_is_a_404_page(session: stripe.checkout.Session) -> None:
    assert session.url is not None

    page = http.get(session.url.replace(session.id, "cs_test_unknown"))

    assert page.status_code == 404
    assert "not found" in page.text


def test_a_fully_discounted_session_completes_without_a_card(
    client: stripe.StripeClient, session_params: dict[str, Any]
) -> None:
    coupon = client.v1.coupons.create({"percent_off": 100})
    free = client.v1.checkout.sessions.create(
        {**session_params, "discounts": [{"coupon": coupon.id}]}
    )
    assert free.url is not None and free.amount_total == 0

    page = http.get(free.url)
    done = http.post(free.url, data={"email": "ada@example.com", "billingPostalCode": "1000"})

    assert "Complete order" in page.text and 'id="cardNumber"' not in page.text
    assert done.status_code == 303
    session = client.v1.checkout.sessions.retrieve(free.id)
    assert (session.status, session.payment_status, session.payment_intent) == (
        "complete", "no_payment_required", None,
    )  # fmt: skip
