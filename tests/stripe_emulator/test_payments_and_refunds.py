"""What a paid session leaves behind, and refunds of it."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from .harness import FakeClock, pay

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def paid(client: stripe.StripeClient, session_params: dict[str, Any]) -> stripe.checkout.Session:
    session = client.v1.checkout.sessions.create(session_params)
    assert session.url is not None
    assert pay(session.url, "4000 0566 5566 5556").status_code == 303
    return client.v1.checkout.sessions.retrieve(session.id)


def test_a_paid_session_records_the_payment_and_the_customer(
    paid: stripe.checkout.Session, clock: FakeClock
) -> None:
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert str(paid.payment_intent).startswith("pi_")
    assert paid.url is None
    assert paid.customer_details is not None
    assert paid.customer_details.email == "ada@example.com"
    assert paid.customer_details.name == "Ada Lovelace"
    assert paid.customer_details.address is not None
    assert paid.customer_details.address.postal_code == "EC1A 1BB"
    assert paid.customer_details.address.country == "GB"
    assert paid.amount_total == 3999


def test_the_payment_intent_and_charge_match_the_session(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    intent = client.v1.payment_intents.retrieve(str(paid.payment_intent))
    charge = client.v1.charges.retrieve(str(intent.latest_charge))

    assert isinstance(intent, stripe.PaymentIntent)
    assert (intent.object, intent.status) == ("payment_intent", "succeeded")
    assert (intent.amount, intent.amount_received, intent.currency) == (3999, 3999, "usd")
    assert isinstance(charge, stripe.Charge)
    assert charge.id.startswith("ch_")
    assert (charge.amount, charge.amount_refunded, charge.refunded, charge.paid) == (
        3999, 0, False, True,
    )  # fmt: skip
    assert charge.payment_intent == intent.id
    assert charge.payment_method_details is not None
    card = charge.payment_method_details.card
    assert card is not None
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "5556", 12, 2034)
    assert card.funding == "debit"


def test_the_session_expands_its_payment_intent_and_charge(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    session = client.v1.checkout.sessions.retrieve(
        paid.id, {"expand": ["payment_intent.latest_charge"]}
    )

    assert isinstance(session.payment_intent, stripe.PaymentIntent)
    assert isinstance(session.payment_intent.latest_charge, stripe.Charge)


def test_sessions_can_be_found_by_payment_intent(
    client: stripe.StripeClient, paid: stripe.checkout.Session, session_params: dict[str, Any]
) -> None:
    client.v1.checkout.sessions.create(session_params)

    found = client.v1.checkout.sessions.list({"payment_intent": str(paid.payment_intent)})

    assert [s.id for s in found.data] == [paid.id]


def test_a_partial_then_a_default_refund_refunds_everything(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    intent_id = str(paid.payment_intent)

    partial = client.v1.refunds.create(
        {"payment_intent": intent_id, "amount": 1000, "reason": "requested_by_customer",
         "metadata": {"order_id": "42"}}
    )  # fmt: skip
    half_way = client.v1.charges.retrieve(str(partial.charge))
    rest = client.v1.refunds.create({"payment_intent": intent_id})
    done = client.v1.charges.retrieve(str(partial.charge))

    assert isinstance(partial, stripe.Refund)
    assert partial.id.startswith("re_")
    assert (partial.amount, partial.status) == (1000, "succeeded")
    assert partial.reason == "requested_by_customer"
    assert (half_way.amount_refunded, half_way.refunded) == (1000, False)
    assert rest.amount == 2999
    assert (done.amount_refunded, done.refunded) == (3999, True)
    listed = client.v1.refunds.list({"payment_intent": intent_id})
    assert [r.id for r in listed.data] == [rest.id, partial.id]
    assert client.v1.refunds.retrieve(partial.id).to_dict() == partial.to_dict()


def test_refunding_more_than_remains_is_refused_naming_amount(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    intent = client.v1.payment_intents.retrieve(str(paid.payment_intent))
    client.v1.refunds.create({"charge": str(intent.latest_charge), "amount": 3000})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create({"payment_intent": intent.id, "amount": 1000})

    assert raised.value.param == "amount"
    assert raised.value.code == "amount_too_large"
    assert raised.value.user_message == (
        "Refund amount ($10.00) is greater than unrefunded amount on charge ($9.99)"
    )


def test_a_fully_refunded_charge_cannot_be_refunded_again(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    client.v1.refunds.create({"payment_intent": str(paid.payment_intent)})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create({"payment_intent": str(paid.payment_intent)})

    assert raised.value.code == "charge_already_refunded"


def test_a_refund_emits_charge_refunded_and_refund_created(
    client: stripe.StripeClient, paid: stripe.checkout.Session
) -> None:
    refund = client.v1.refunds.create({"payment_intent": str(paid.payment_intent), "amount": 500})

    charge_refunded = client.v1.events.list({"type": "charge.refunded"}).data[0]
    refund_created = client.v1.events.list({"type": "refund.created"}).data[0]

    charge = charge_refunded.data.object
    assert (charge["object"], charge["amount_refunded"]) == ("charge", 500)
    assert refund_created.data.object["id"] == refund.id
