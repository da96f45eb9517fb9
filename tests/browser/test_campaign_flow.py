"""The reference flow in a real browser: overview → create → My campaigns → basic
information, with an inactive segment silencing the campaign until it is activated."""

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from kairos.accounts.shop_time import shop_today
from kairos.campaigns.models import Campaign
from kairos.questionnaires.models import Questionnaire
from kairos.segments.models import Segment

pytestmark = pytest.mark.browser
UNHAPPY = {"all": [{"field": "answers.nps", "op": "lte", "value": 6}]}


def status_of(page, title):
    row = page.locator("tr", has=page.get_by_role("link", name=title, exact=True))
    return row.locator("[data-status]")


def test_a_marketer_launches_a_callback_campaign(page, live_server, log_in, screenshot, alice):
    shop = alice.organization
    segment = Segment.objects.create(
        organization=shop, name="Unhappy customers", conditions=UNHAPPY, active=False,
        questionnaire=Questionnaire.objects.get(organization=shop, stage="checkout"))
    log_in(alice)

    # Campaign Overview → Customer Recovery Callback Request → Create
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Campaign Overview").click()
    expect(page.get_by_role("heading", name="Campaign Overview")).to_be_visible()
    page.get_by_role("link", name="Create a Customer Recovery Callback Request campaign").click()
    expect(page).to_have_url(re.compile(r"/dashboard/campaigns/new/\?type=callback_request$"))

    # Search, select the inactive segment: the warning appears at once, the title suggests itself
    page.get_by_role("searchbox", name="Search segments").fill("unhappy")
    page.get_by_role("checkbox", name=re.compile("Unhappy customers")).check()
    warning = page.locator(f"[data-warning-for='{segment.pk}']")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        "This campaign will not be displayed until Unhappy customers is activated")
    title = page.get_by_label("Title")
    expect(title).to_have_value("Unhappy customers — checkout")
    title.fill("Unhappy customers — checkout callback")
    page.get_by_role("switch", name="Active").check()
    screenshot("campaign-1-create.png")
    page.get_by_role("button", name="Submit").click()

    # My campaigns: there, silenced by its inactive segment
    expect(page).to_have_url(f"{live_server.url}/dashboard/campaigns/")
    expect(page.get_by_role("heading", name="My campaigns")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("will not be displayed until")
    campaign_title = "Unhappy customers — checkout callback"
    expect(status_of(page, campaign_title)).to_have_text("silenced")
    screenshot("campaign-2-silenced.png")
    campaign = Campaign.objects.get(organization=shop)
    assert campaign.start_date == shop_today(shop) and campaign.active

    # Activate the segment on its own page; the campaign goes live
    page.goto(f"{live_server.url}/dashboard/segments/{segment.pk}/")
    page.get_by_label("Active (campaigns may use it)").check()
    page.get_by_role("button", name="Save segment").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My campaigns").click()
    expect(status_of(page, campaign_title)).to_have_text("live")
    screenshot("campaign-3-live.png")

    # Its page, Settings tab: start date, priority, frequency cap
    page.get_by_role("link", name=campaign_title, exact=True).click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    yesterday = shop_today(shop) - datetime.timedelta(days=1)
    page.get_by_label("Start date").fill(yesterday.isoformat())
    page.get_by_label("Priority").fill("2")
    cap = page.get_by_role("group", name="Frequency cap")
    cap.get_by_label("Days").fill("1")
    cap.get_by_label("Minutes").fill("30")
    # Texts tab: the preview follows typing; Save keeps both tabs' changes
    page.get_by_role("tab", name="Texts").click()
    page.get_by_label("Headline (English)").fill("We owe you a call")
    english = page.locator("[data-preview-locale=en] [data-preview-field=headline]")
    expect(english).to_have_text("We owe you a call")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history")).to_contain_text("Priority")
    screenshot("campaign-4-basic-information.png")
    campaign.refresh_from_db()
    assert (campaign.start_date, campaign.priority, campaign.frequency_cap_minutes) == (
        yesterday, 2, 1440 + 30)
    assert campaign.content["headline"]["en"] == "We owe you a call"

    # A matching customer now gets this campaign from the public API
    answered = page.request.post(f"{live_server.url}/api/public/v1/responses", data=json.dumps({
        "site_key": shop.site_keys.get().key, "stage": "checkout", "locale": "en",
        "device_id": "browser-1", "answers": {"nps": 3}}),
        headers={"Content-Type": "application/json"})
    assert answered.status == 201, answered.text()
    shown = answered.json()["campaign"]
    assert shown["campaign_id"] == campaign.pk
    assert shown["content"]["headline"] == "We owe you a call"

    # …and the dashboard can say why
    page.goto(f"{live_server.url}/dashboard/campaigns/why/?response={answered.json()['response_id']}")
    expect(page.locator("[data-outcome=chosen]")).to_be_visible()
    screenshot("campaign-5-why.png")
