"""“Why did this customer see…?” finds the customer by e-mail, phone number or order id, as
typed, and replays their latest response; never another shop's customer."""

import datetime

import time_machine
from campaigns.helpers import campaign, segment, submit

WHY_URL = "/dashboard/campaigns/why/"
CUSTOMER = {"email": "Maria@Example.com", "phone_number": "+306941234567"}


def order(shop, nps, transaction_id, at):
    with time_machine.travel(at, tick=False):
        return submit(shop, nps=nps, responder=CUSTOMER,
                      metadata={"responder": CUSTOMER,
                                "questionnaire": {"transaction_id": transaction_id}})


def test_the_customer_is_found_by_email_phone_or_order_id(alice, alice_client):
    shop = alice.organization
    shown = campaign(shop, [segment(shop)], title="Call me",
                     start_date=datetime.date(2026, 1, 1))
    order(shop, 9, "T-1", "2026-11-01 10:00Z")
    latest = order(shop, 2, "T-2", "2026-11-20 10:00Z")
    for typed, found in (("maria@example.com ", 2), ("MARIA@EXAMPLE.COM", 2),
                         ("694 123 4567", 2), ("+30 694 1234567", 2), ("T-2", 1)):
        page = alice_client.get(WHY_URL, {"customer": typed})
        decision = page.context["decision"]
        assert decision["response_id"] == latest["response_id"], typed
        assert decision["campaign"]["campaign_id"] == shown.pk
        assert page.context["found"].count == found
    html = alice_client.get(WHY_URL, {"customer": "maria@example.com"}).content.decode()
    assert "The latest of 2 responses found, submitted on 20 Nov 2026, 12:00." in html
    # An order id names that order's response, even when it is not the latest.
    first = alice_client.get(WHY_URL, {"customer": "T-1"}).context["decision"]
    assert first["campaign"] is None  # a promoter then: nothing for detractors


def test_nobody_found_is_said_on_the_field_in_both_languages(alice, bob, alice_client):
    order(bob.organization, 2, "T-9", "2026-11-20 10:00Z")  # Bob's customer, not Alice's
    page = alice_client.get(WHY_URL, {"customer": "maria@example.com"})
    assert page.context["decision"] is None
    assert "No response in this shop has this e-mail" in str(
        page.context["form"].errors["customer"])
    greek = alice_client.get(WHY_URL, {"customer": "T-9"}, headers={"Accept-Language": "el"})
    assert "Καμία απάντηση" in str(greek.context["form"].errors["customer"])
