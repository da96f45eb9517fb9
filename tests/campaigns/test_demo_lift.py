"""The demo shop shows a campaign with a holdout, a change of its share, and a lift report
a person can read. One test: building the demo shop takes a while."""

from django.contrib.auth import get_user_model
from django.test import Client

from kairos.campaigns.models import Campaign, Impression
from kairos.demo import build_demo_shop


def test_the_demo_shop_shows_a_campaign_with_a_holdout_and_a_readable_lift_report(db):
    demo = build_demo_shop("http://127.0.0.1:8000", sample_data=True)
    held = Campaign.objects.get(organization=demo.organization, title="Detractors — checkout")
    client = Client()
    client.force_login(get_user_model().objects.get(email=demo.email))

    # Its customers are held out at the share of the day, and the change is recorded.
    assert held.holdout_percent == 35
    control = Impression.objects.filter(campaign=held, control=True).count()
    assert 0.15 < control / Impression.objects.filter(campaign=held).count() < 0.45
    assert [entry.changes.get("holdout_percent") for entry in held.audit.order_by("at")] == [
        25, [25, 35]]

    # The Lift tab: a verdict in words, both holdout periods named, in both languages.
    answer = client.get(f"/dashboard/campaigns/{held.pk}/")
    lift = answer.context["lift"]
    assert lift["verdict"].outcome == "raised"
    assert [p["percent"] for p in lift["holdout_periods"]] == [25, 35]
    html = answer.content.decode()
    assert "Calling back raised re-orders within" in html
    assert "Holdout in this period: 25% from" in html and "; 35% from" in html
    greek = client.get(f"/dashboard/campaigns/{held.pk}/",
                       headers={"Accept-Language": "el"}).content.decode()
    assert "Η επανάκληση αύξησε" in greek

    # My campaigns and the comparison of campaigns show it too.
    for path in ("/dashboard/campaigns/", "/dashboard/campaigns/compare/?period=90d"):
        rows = {row.campaign.pk: row for row in client.get(path).context["rows"]}
        label, verdict = rows[held.pk].lift
        assert label.endswith("points") and "raised" in verdict, path
