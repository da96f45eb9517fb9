"""Settings → Customer data in a real browser: an owner finds a customer, sees what is
stored, asks to erase, reads what will go, erases — and Settings → Privacy logs it."""

import pytest
from playwright.sync_api import expect
from privacy.helpers import MARIA, NIKOS, callback_campaign, customer_story

from kairos.questionnaires.models import Response

pytestmark = pytest.mark.browser


def test_an_owner_erases_one_customer_after_reading_what_will_go(page, live_server, log_in,
                                                                 alice):
    shop = alice.organization
    callback_campaign(shop)
    customer_story(shop)
    customer_story(shop, NIKOS, words="all fine, thanks", device="d-nikos",
                   note="mornings are better")
    log_in(alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role(
        "link", name="Customer data").click()
    page.get_by_label("E-mail, phone number or customer id").fill("6900000001")
    page.get_by_role("button", name="Find").click()

    found = page.locator("#customer-found")
    expect(found).to_contain_text(MARIA["email"])
    expect(found).to_contain_text("2 responses")
    page.get_by_role("button", name="Erase…").click()
    expect(found).to_contain_text("This will permanently remove:")
    expect(page.locator("#customer-counts")).to_contain_text("1 call attempts")
    assert Response.objects.filter(email=MARIA["email"]).count() == 2  # asked, not done
    page.get_by_role("button", name="Erase for good").click()

    expect(page.get_by_text("The customer's data was erased")).to_be_visible()
    assert not Response.objects.filter(email=MARIA["email"]).exists()
    assert Response.objects.filter(email=NIKOS["email"]).count() == 2
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Privacy").click()
    expect(page.locator("#privacy-log [data-kind=erasure]")).to_contain_text(alice.email)
