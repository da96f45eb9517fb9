"""A marketer creating a campaign that would never win is told so before Submit, and what
to do about it; My campaigns then says "never shown" with the reason."""

import re

import pytest
from campaigns.helpers import DETRACTORS, campaign, segment
from playwright.sync_api import expect

from kairos.campaigns.models import Campaign

pytestmark = pytest.mark.browser


def test_a_campaign_that_would_never_win_is_flagged_before_submit(page, live_server, log_in,
                                                                   screenshot, alice):
    shop = alice.organization
    detractors = segment(shop, DETRACTORS, name="Detractors")
    segment(shop, {"all": [{"field": "answers.nps", "op": "gte", "value": 9}]},
            name="Promoters")
    campaign(shop, [detractors], title="Detractors — callback", priority=2)
    log_in(alice)

    page.goto(f"{live_server.url}/dashboard/campaigns/new/?type=onscreen_incentive")
    panel = page.locator("[data-conflict-panel]")
    expect(panel).to_contain_text("Choose segments to see which campaigns compete")

    # Picking the segment of an existing campaign: the priority suggests itself after
    # it, and the check says at once that this one would never be shown.
    page.get_by_role("checkbox", name=re.compile("Detractors")).check()
    priority = page.get_by_label("Priority")
    expect(priority).to_have_value("3")
    warning = panel.locator("[data-never-shown]")
    expect(warning).to_contain_text("This campaign would never be shown:")
    expect(warning).to_contain_text("“Detractors — callback” (priority 2) is always shown first")
    expect(warning).to_contain_text("give it a priority below 2")
    expect(panel.locator("[data-kind=never_wins]")).to_have_text("can never win")
    screenshot("create-1-never-wins.png")

    # Following the advice clears the warning, still before Submit.
    priority.fill("1")
    expect(panel.locator("[data-never-shown]")).to_have_count(0)
    expect(panel.locator("[data-kind=outranks]")).to_be_visible()
    screenshot("create-2-wins.png")

    # Back to a priority that loses, and submitted anyway: My campaigns says why.
    priority.fill("5")
    expect(panel.locator("[data-never-shown]")).to_be_visible()
    page.get_by_label("Title").fill("Detractors — coupon")
    page.get_by_role("switch", name="Active").check()
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/campaigns/")
    row = page.locator("tr", has=page.get_by_role("link", name="Detractors — coupon"))
    expect(row.locator("[data-status]")).to_have_text("never shown")
    expect(row.locator("[data-status-reason]")).to_contain_text(
        "“Detractors — callback” (priority 2) is always shown first")
    screenshot("create-3-never-shown.png")
    created = Campaign.objects.get(title="Detractors — coupon")
    assert created.priority == 5 and created.active


def test_the_campaign_page_opens_on_the_tab_a_link_names(page, live_server, log_in, alice,
                                                         screenshot):
    shop = alice.organization
    leader = campaign(shop, [segment(shop)], title="Leader", priority=0)
    follower = campaign(shop, leader.segments.all(), title="Follower", priority=1)
    log_in(alice)

    page.goto(f"{live_server.url}/dashboard/campaigns/{follower.pk}/")
    tabs = page.get_by_role("tablist", name="Campaign")
    expect(tabs.get_by_role("tab", name="Settings")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    expect(page.locator("#conflicts")).to_be_hidden()
    screenshot("campaign-tab-settings.png")

    page.get_by_role("link", name="This campaign is never shown: see the conflict check.").click()
    expect(page.locator("#conflicts")).to_be_visible()
    expect(page.locator("#conflicts")).to_contain_text("can never win")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_hidden()
    screenshot("campaign-tab-conflicts.png")

    tabs.get_by_role("tab", name="History").click()
    expect(page.locator("#history")).to_contain_text("created")
    expect(page.locator("#settings")).to_be_hidden()
    page.goto(f"{live_server.url}/dashboard/campaigns/{follower.pk}/#performance")
    expect(page.locator("#performance")).to_be_visible()
    expect(page.locator("#texts")).to_be_hidden()
