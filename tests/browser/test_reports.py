"""Home and a campaign's performance in a real Chromium, on the demo shop with its sample
history: the figures a CX manager reads agree with the database, the charts have their
tables, and `UPDATE_DOCS_SCREENSHOTS=1` refreshes the README's pictures."""

import pytest
from playwright.sync_api import expect

from kairos.accounts.periods import choose
from kairos.accounts.shop_time import shop_today
from kairos.campaigns.models import Campaign, Impression
from kairos.demo import build_demo_shop
from kairos.questionnaires.models import Response

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server, transactional_db):
    return build_demo_shop(site_url=live_server.url, sample_data=True)


def sign_in_as_owner(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(demo.email)
    page.locator("input[name=password]").fill(demo.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def last_30_days(organization):
    return choose(shop_today(organization), "30d").span(organization)


def test_home_tells_the_owner_where_the_shop_stands(page, live_server, demo, screenshot):
    shop = demo.organization
    start, end = last_30_days(shop)
    responses = Response.objects.filter(organization=shop, submitted_at__gte=start,
                                        submitted_at__lt=end).count()
    assert responses, "the demo shop has responses in the last 30 days"
    sign_in_as_owner(page, live_server, demo)
    expect(page.locator("[data-figure=responses] .stat")).to_have_text(str(responses))
    expect(page.locator(".chart-figure svg").first).to_be_visible()
    page.get_by_text("The same numbers as a table").first.click()
    expect(page.locator("[data-table=trend] tbody tr").first).to_be_visible()
    live = page.locator("[data-table=live-campaigns] tbody tr[data-campaign]")
    expect(live.first).to_be_visible()
    screenshot("home.png", "home.png")


def test_a_campaigns_performance_over_the_last_30_days(page, live_server, demo, screenshot):
    shop = demo.organization
    start, end = last_30_days(shop)
    shown = (Impression.objects.filter(organization=shop, control=False,
                                       shown_at__gte=start, shown_at__lt=end)
             .values_list("campaign", flat=True).first())
    campaign = Campaign.objects.get(pk=shown)
    impressions = Impression.objects.filter(campaign=campaign, control=False,
                                            shown_at__gte=start, shown_at__lt=end)
    sign_in_as_owner(page, live_server, demo)
    page.goto(f"{live_server.url}/dashboard/campaigns/{campaign.pk}/performance/?period=30d")
    expect(page.locator("[data-total-impressions]")).to_have_text(str(impressions.count()))
    expect(page.locator(".chart-figure svg")).to_be_visible()
    expect(page.locator("[data-table=by-store]")).to_be_visible()
    screenshot("campaign-performance.png", "campaign-performance.png")
