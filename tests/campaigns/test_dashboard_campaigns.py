"""The campaigns dashboard: overview, create, My campaigns, basic information, why."""

import datetime
import json

import pytest
import time_machine
from campaigns.helpers import edit_data
from django.test import Client

from kairos.accounts.roles import Role
from kairos.accounts.shop_time import shop_today
from kairos.campaigns import services
from kairos.campaigns.models import AuditEntry, Campaign
from kairos.campaigns.views.conflicts import ROWS_SHOWN
from kairos.segments.models import Segment

TYPES_URL = "/dashboard/campaigns/types/"
NEW_URL = "/dashboard/campaigns/new/?type=callback_request"
LIST_URL = "/dashboard/campaigns/"
WHY_URL = "/dashboard/campaigns/why/"
DETRACTORS = {"all": [{"field": "answers.nps", "op": "lte", "value": 6}]}
PROMOTERS = {"all": [{"field": "answers.nps", "op": "gte", "value": 9}]}


def edit_url(campaign):
    return f"{LIST_URL}{campaign.pk}/"


def make_segment(user, name="Detractors", conditions=DETRACTORS, active=True):
    return Segment.objects.create(organization=user.organization, name=name,
                                  conditions=conditions, active=active)


def make_campaign(user, segments, **fields):
    fields = {"type": "callback_request", "title": "Call unhappy customers", "active": True,
              **fields}
    return services.create_campaign(user.organization, fields, [s.pk for s in segments],
                                    user=user)


def submit(user, nps=3, device="d-1"):
    body = {"site_key": user.organization.site_keys.get().key, "stage": "checkout",
            "locale": "en", "device_id": device, "answers": {"nps": nps}}
    response = Client().post("/api/public/v1/responses", json.dumps(body),
                             content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


# ---- Campaign Overview -------------------------------------------------------------------

def test_overview_lists_the_four_types_with_create_links(alice_client):
    page = alice_client.get(TYPES_URL)
    assert page.status_code == 200
    assert [t.id for t in page.context["types"]] == [
        "callback_request", "refer_friend", "onscreen_incentive", "image_display"]
    html = page.content.decode()
    assert "Customer Recovery Callback Request" in html
    assert "/dashboard/campaigns/new/?type=image_display" in html


def test_the_navigation_shows_the_campaign_sections(alice_client):
    html = alice_client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/campaigns/types/"' in html
    assert 'href="/dashboard/campaigns/"' in html
    assert 'href="/dashboard/callbacks/"' in html


# ---- create --------------------------------------------------------------------------------

def test_create_with_two_segments(alice, alice_client):
    detractors, passives = make_segment(alice), make_segment(alice, name="Passives")
    response = alice_client.post(NEW_URL, {"segments": [detractors.pk, passives.pk],
                                           "title": "Detractors — checkout", "active": "on"})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    campaign = Campaign.objects.get(organization=alice.organization)
    assert campaign.type == "callback_request" and campaign.active
    assert campaign.start_date == shop_today(alice.organization)
    assert set(campaign.segments.all()) == {detractors, passives}
    entry = AuditEntry.objects.get(campaign=campaign)
    assert (entry.action, entry.user, entry.via) == ("created", alice, "dashboard")
    page = alice_client.get(LIST_URL)
    assert "Created “Detractors — checkout”." in page.content.decode()


def test_create_page_lists_segments_with_status_and_suggestions(alice, alice_client):
    make_segment(alice, name="Sleepers", active=False)
    page = alice_client.get(NEW_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sleepers" in html and 'data-active="false"' in html
    assert "combined with OR" in html
    # The warning is on the page for the script to reveal, hidden until chosen.
    assert 'data-warning-for' in html and " hidden>" in html


def test_create_requires_a_title_and_a_segment(alice, alice_client):
    make_segment(alice)
    page = alice_client.post(NEW_URL, {"title": "", "active": "on"})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"segments", "title"}
    assert "Choose at least one segment." in page.content.decode()
    assert not Campaign.objects.exists()


def test_create_refuses_another_shops_segment(alice, bob, alice_client):
    theirs = make_segment(bob)
    page = alice_client.post(NEW_URL, {"segments": [theirs.pk], "title": "Sneaky"})
    assert page.status_code == 200 and "segments" in page.context["form"].errors
    assert not Campaign.objects.exists()


def test_an_unknown_type_goes_back_to_the_overview(alice_client):
    response = alice_client.get("/dashboard/campaigns/new/?type=fireworks")
    assert response.status_code == 302 and response["Location"] == TYPES_URL


def test_an_inactive_segment_is_named_in_a_warning(alice, alice_client):
    sleepers = make_segment(alice, name="Sleepers", active=False)
    # Re-shown with an error: the warning is visible beside the chosen segment.
    page = alice_client.post(NEW_URL, {"segments": [sleepers.pk], "title": ""})
    [option] = page.context["picker"]["inactive_chosen"]
    assert option.segment == sleepers
    html = page.content.decode()
    assert "This campaign will not be displayed until" in html
    assert f'href="/dashboard/segments/{sleepers.pk}/">Sleepers</a> is activated' in html
    # Saved: My campaigns says it too, and shows the campaign silenced.
    response = alice_client.post(NEW_URL, {"segments": [sleepers.pk], "title": "Wake up",
                                           "active": "on"}, follow=True)
    html = response.content.decode()
    assert "will not be displayed until" in html and "Sleepers</a> is activated" in html
    assert 'data-status="silenced"' in html


def test_a_segment_can_be_preselected_with_its_title_suggested(alice, alice_client):
    segment = make_segment(alice)
    page = alice_client.get(f"{NEW_URL}&segment={segment.pk}")
    form = page.context["form"]
    assert form["segments"].value() == [str(segment.pk)]
    assert form["title"].value() == "Detractors"


# ---- My campaigns --------------------------------------------------------------------------

def test_list_shows_status_badges_and_totals(alice, alice_client):
    detractors = make_segment(alice)
    live = make_campaign(alice, [detractors], title="Live one")
    make_campaign(alice, [detractors], title="Switched off", active=False, priority=3)
    tomorrow = shop_today(alice.organization) + datetime.timedelta(days=1)
    make_campaign(alice, [detractors], title="Later", start_date=tomorrow, priority=4)
    make_campaign(alice, [make_segment(alice, name="Off", active=False)], title="Quiet",
                  priority=5)
    assert submit(alice, nps=2)["campaign"]["campaign_id"] == live.pk
    submit(alice, nps=3, device="d-2")
    page = alice_client.get(LIST_URL)
    rows = {row.campaign.title: row for row in page.context["rows"]}
    assert {title: row.badge.status for title, row in rows.items()} == {
        "Live one": "live", "Switched off": "inactive", "Later": "scheduled",
        "Quiet": "silenced"}
    assert (rows["Live one"].impressions, rows["Live one"].actions) == (2, 0)
    html = page.content.decode()
    assert 'data-status="silenced"' in html and 'data-status="scheduled"' in html
    assert "/dashboard/campaigns/why/" in html


def test_list_counts_in_a_fixed_number_of_queries(alice, alice_client,
                                                  django_assert_max_num_queries):
    detractors = make_segment(alice)
    for index in range(6):
        make_campaign(alice, [detractors], title=f"Campaign {index}")
    alice_client.get(LIST_URL)  # warm the session
    with django_assert_max_num_queries(12):
        alice_client.get(LIST_URL)


def test_list_filters_and_sorts(alice, alice_client):
    detractors = make_segment(alice)
    make_campaign(alice, [detractors], title="Beta", priority=1)
    make_campaign(alice, [detractors], title="alpha", priority=2, active=False)
    make_campaign(alice, [detractors], title="Gamma", priority=0, type="refer_friend")

    def titles(**query):
        return [row.campaign.title for row in alice_client.get(LIST_URL, query).context["rows"]]

    assert titles() == ["Gamma", "Beta", "alpha"]
    assert titles(sort="title") == ["alpha", "Beta", "Gamma"]
    assert titles(status="inactive") == ["alpha"]
    assert titles(type="refer_friend") == ["Gamma"]


def test_duplicate_and_archive(alice, alice_client):
    original = make_campaign(alice, [make_segment(alice)], priority=2)
    response = alice_client.post(f"{edit_url(original)}duplicate/")
    copy = Campaign.objects.exclude(pk=original.pk).get()
    assert response["Location"] == edit_url(copy)
    assert (copy.title, copy.active, copy.priority) == (
        "Call unhappy customers (copy)", False, 2)
    assert alice_client.post(f"{edit_url(original)}archive/")["Location"] == LIST_URL
    original.refresh_from_db()
    assert original.archived_at is not None and not original.active
    assert original.audit.first().action == "archived"
    listed = [row.campaign for row in alice_client.get(LIST_URL).context["rows"]]
    assert listed == [copy]
    archived = alice_client.get(LIST_URL, {"status": "archived"}).context["rows"]
    assert [row.campaign for row in archived] == [original]


def test_duplicate_and_archive_only_by_post(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    assert alice_client.get(f"{edit_url(campaign)}archive/").status_code == 405
    assert alice_client.get(f"{edit_url(campaign)}duplicate/").status_code == 405


# ---- basic information ---------------------------------------------------------------------

def test_edit_page_shows_everything(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    page = alice_client.get(edit_url(campaign))
    assert page.status_code == 200
    html = page.content.decode()
    for words in ("Settings", "Conflict check", "Performance, last 30 days",
                  "History", "Two limits, two clocks", "We&#x27;re sorry we let you down",
                  "<svg class=\"chart\"",
                  "<title id=\"performance-chart-title\">"):
        assert words in html, words
    assert [p.locale for p in page.context["previews"]] == ["en", "el"]
    assert "Λυπούμαστε που σας απογοητεύσαμε" in page.context["previews"][1].html


def test_edit_saves_dates_cap_priority_languages(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    start = campaign.start_date
    response = alice_client.post(edit_url(campaign), edit_data(
        campaign, title="Renamed", start_date=(start + datetime.timedelta(days=1)).isoformat(),
        end_date=(start + datetime.timedelta(days=10)).isoformat(), cap_days="1",
        cap_hours="2", cap_minutes="30", priority="4", languages=["el"]))
    assert response.status_code == 302 and response["Location"] == edit_url(campaign)
    campaign.refresh_from_db()
    assert campaign.title == "Renamed"
    assert campaign.start_date == start + datetime.timedelta(days=1)
    assert campaign.end_date == start + datetime.timedelta(days=10)
    assert campaign.frequency_cap_minutes == 1 * 1440 + 2 * 60 + 30
    assert (campaign.priority, campaign.languages) == (4, ["el"])
    entry = campaign.audit.first()
    assert entry.action == "changed" and entry.changes["priority"] == [0, 4]
    html = alice_client.get(edit_url(campaign)).content.decode()
    assert "1 d 2 h 30 min" in html and "<del>0</del> → <ins>4</ins>" in html


def test_an_end_before_the_start_is_an_error_on_the_end_date(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    before = (campaign.start_date - datetime.timedelta(days=1)).isoformat()
    page = alice_client.post(edit_url(campaign), edit_data(campaign, end_date=before))
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["end_date"]
    campaign.refresh_from_db()
    assert campaign.end_date is None


@pytest.mark.parametrize("changes,field", [
    ({"priority": "-1"}, "priority"),
    ({"priority": "1.5"}, "priority"),
    ({"cap_hours": "-2"}, "cap_hours"),
    ({"cap_days": "400"}, "cap_days"),
    ({"cap_days": "300", "cap_hours": "2000"}, "cap_days"),  # more than a year in total
    ({"segments": []}, "segments"),
    ({"title": ""}, "title"),
    ({"languages": ["de"]}, "languages"),
])
def test_bad_values_are_form_errors_and_nothing_is_saved(alice, alice_client, changes, field):
    campaign = make_campaign(alice, [make_segment(alice)])
    page = alice_client.post(edit_url(campaign), edit_data(campaign, **changes))
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert campaign.audit.count() == 1  # only "created"


def test_a_service_problem_lands_on_its_content_field(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)], type="image_display")
    page = alice_client.post(edit_url(campaign), edit_data(
        campaign, content__link_url="javascript:alert(1)"))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "content__link_url" in errors and "https://" in errors["content__link_url"][0]
    # The page shows what is stored, not what was refused.
    assert page.context["campaign"].content["link_url"] == "https://www.google.com/maps"


def test_a_required_localized_text_needs_one_language(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    page = alice_client.post(edit_url(campaign), edit_data(
        campaign, content__consent_text__en="", content__consent_text__el=""))
    assert "content__consent_text__en" in page.context["form"].errors


def test_content_edits_persist_per_language(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    alice_client.post(edit_url(campaign), edit_data(
        campaign, content__headline__en="Sorry!", content__headline__el="Συγγνώμη!"))
    campaign.refresh_from_db()
    assert campaign.content["headline"] == {"en": "Sorry!", "el": "Συγγνώμη!"}
    assert campaign.content["submit_label"]["en"] == "Call me back"
    page = alice_client.get(edit_url(campaign))
    assert "Συγγνώμη!" in page.context["previews"][1].html
    assert "Sorry!" in page.content.decode()
    changes = {c.label: (c.before, c.after) for c in page.context["audit"][0].changes}
    assert changes == {"Headline (English)": ("We're sorry we let you down", "Sorry!"),
                       "Headline (Greek)": ("Λυπούμαστε που σας απογοητεύσαμε", "Συγγνώμη!")}


def test_the_conflict_check_lists_the_conflicts_that_matter_most_and_counts_the_rest(
        alice, alice_client):
    detractors = make_segment(alice)
    submit(alice, nps=2)
    chosen = make_campaign(alice, [detractors], title="Chosen", priority=5)
    for n in range(ROWS_SHOWN + 2):  # it wins over all of these
        make_campaign(alice, [detractors], title=f"Later {n}", priority=8)
    make_campaign(alice, [detractors], title="Twin", priority=5)  # a tie: the worst listed
    check = alice_client.get(edit_url(chosen)).context["conflicts"]
    assert (check["competing"], check["more"]) == (ROWS_SHOWN + 3, 3)
    assert len(check["rows"]) == ROWS_SHOWN
    assert [row.conflict.kind for row in check["rows"][:2]] == ["tie", "outranks"]
    html = alice_client.get(edit_url(chosen)).content.decode()
    assert f"{ROWS_SHOWN + 3} other campaigns compete for the same customers" in html
    assert "And 3 more campaigns that get less in its way." in html
    greek = alice_client.get(edit_url(chosen), headers={"Accept-Language": "el"})
    assert "Και 3 ακόμη καμπάνιες" in greek.content.decode()


def test_the_conflict_check_shows_ties_and_campaigns_that_cannot_win(alice, alice_client):
    detractors, promoters = make_segment(alice), make_segment(alice, "Promoters", PROMOTERS)
    submit(alice, nps=2)
    submit(alice, nps=10)
    make_campaign(alice, [detractors], title="Leader", priority=0)
    follower = make_campaign(alice, [detractors], title="Follower", priority=3)
    twin = make_campaign(alice, [detractors], title="Twin", priority=0)
    partner = make_campaign(alice, [detractors, promoters], title="Partner", priority=0)
    rows = alice_client.get(edit_url(follower)).context["conflicts"]["rows"]
    assert {(row.conflict.other.title, row.conflict.kind) for row in rows} == {
        ("Leader", "never_wins"), ("Twin", "outranked_always"), ("Partner", "outranked_always")}
    html = alice_client.get(edit_url(follower)).content.decode()
    assert "can never win" in html and 'class="badge danger"' in html
    assert "This campaign is never shown: see the conflict check." in html
    assert 'data-status="never_shown"' in html and "data-never-shown" in html
    assert "give it a priority below" not in html  # Leader has priority 0: no lower number
    html = alice_client.get(edit_url(partner)).content.decode()
    assert "3 other campaigns compete for the same customers" in html
    # A tie that always loses is reported as "can never win", not as a tie…
    html = alice_client.get(edit_url(twin)).content.decode()
    assert 'data-kind="never_wins"' in html and "wins every tie" in html
    # …while a real tie (promoters only see Partner) is one, with its rule.
    html = alice_client.get(edit_url(partner)).content.decode()
    assert 'data-kind="tie"' in html and "Tie-break rule" in html


def test_performance_counts_the_last_30_days(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    submit(alice, nps=2)
    performance = alice_client.get(edit_url(campaign)).context["performance"]
    assert (performance["impressions"], performance["actions"]) == (1, 0)
    assert len(performance["days"]) == 30
    assert "1 impressions" in performance["chart"] or "1 impression" in performance["chart"]


def test_an_archived_campaign_is_read_only(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    services.archive_campaign(campaign)
    page = alice_client.get(edit_url(campaign))
    assert page.context["may_edit"] is False and page.context["form"]["title"].field.disabled
    response = alice_client.post(edit_url(campaign), edit_data(campaign, title="Back"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Call unhappy customers"


# ---- roles and isolation -------------------------------------------------------------------

def test_a_reporting_user_reads_but_cannot_change(alice, member_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    client = member_client(Role.REPORTING)
    page = client.get(edit_url(campaign))
    assert page.status_code == 200 and page.context["may_edit"] is False
    assert "Save" not in [b.strip() for b in page.content.decode().split("<button")[1:]]
    assert client.post(edit_url(campaign), edit_data(campaign, title="x")).status_code == 403
    assert client.get(LIST_URL).status_code == 200
    assert client.get(TYPES_URL).status_code == 403
    assert client.get(NEW_URL).status_code == 403
    assert client.post(f"{edit_url(campaign)}archive/").status_code == 403
    assert client.post(f"{edit_url(campaign)}duplicate/").status_code == 403
    assert Campaign.objects.count() == 1


def test_an_agent_cannot_open_campaigns(alice, member_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    client = member_client(Role.AGENT)
    for url in (TYPES_URL, NEW_URL, LIST_URL, edit_url(campaign), WHY_URL):
        assert client.get(url).status_code == 403, url


def test_a_campaign_manager_can_create(alice, member_client):
    segment = make_segment(alice)
    client = member_client(Role.CAMPAIGN_MANAGER)
    response = client.post(NEW_URL, {"segments": [segment.pk], "title": "Managed"})
    assert response.status_code == 302
    assert Campaign.objects.get().created_by.email == "campaign_manager@example.com"


def test_bob_cannot_see_or_change_alices_campaign(alice, bob_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    assert bob_client.get(edit_url(campaign)).status_code == 404
    assert bob_client.post(edit_url(campaign), edit_data(campaign)).status_code == 404
    assert bob_client.post(f"{edit_url(campaign)}archive/").status_code == 404
    assert bob_client.post(f"{edit_url(campaign)}duplicate/").status_code == 404
    assert bob_client.get(LIST_URL).context["rows"] == []
    campaign.refresh_from_db()
    assert campaign.archived_at is None


def test_anonymous_visitors_are_sent_to_log_in(alice):
    response = Client().get(LIST_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- why did this customer see…? -----------------------------------------------------------

def test_why_explains_a_typed_response(alice, alice_client):
    detractors, promoters = make_segment(alice), make_segment(alice, "Promoters", PROMOTERS)
    shown = make_campaign(alice, [detractors], title="Call me", priority=1)
    make_campaign(alice, [promoters], title="Refer", type="refer_friend")
    make_campaign(alice, [detractors], title="Second best", priority=5)
    page = alice_client.get(WHY_URL, {"nps": "2", "stage": "checkout", "locale": "en",
                                      "email": "maria@example.com"})
    assert page.status_code == 200
    decision = page.context["decision"]
    assert decision["campaign"]["campaign_id"] == shown.pk
    outcomes = {row["title"]: row["outcome"] for row in decision["trace"]}
    assert outcomes == {"Call me": "chosen", "Refer": "segment_not_matched",
                        "Second best": "outranked"}
    html = page.content.decode()
    assert 'data-outcome="outranked"' in html and "outranked by" in html


def test_why_replays_a_stored_response(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    response_id = submit(alice, nps=1)["response_id"]
    page = alice_client.get(WHY_URL, {"response": response_id})
    decision = page.context["decision"]
    assert decision["campaign"]["campaign_id"] == campaign.pk
    assert f"/dashboard/responses/{response_id}/" in page.content.decode()


def test_why_says_what_is_wrong_with_the_input(alice, bob, alice_client):
    make_campaign(alice, [make_segment(alice)])
    page = alice_client.get(WHY_URL, {"nps": "12"})
    assert "nps" in page.context["form"].errors and page.context["decision"] is None
    page = alice_client.get(WHY_URL, {"answers": "{not json"})
    assert "answers" in page.context["form"].errors
    page = alice_client.get(WHY_URL, {"nps": "3", "email": "not-an-email"})
    assert "email" in page.context["form"].errors
    bobs_response = submit(bob, nps=1)["response_id"]
    page = alice_client.get(WHY_URL, {"response": bobs_response})
    assert "no such response" in str(page.context["form"].errors["response"])


def test_why_reads_the_time_in_the_shops_zone(alice, alice_client):
    alice.organization.time_zone = "Pacific/Auckland"  # far from the server's zone
    alice.organization.save()
    today = shop_today(alice.organization)
    tomorrow = today + datetime.timedelta(days=1)
    make_campaign(alice, [make_segment(alice)], start_date=tomorrow)
    now = alice_client.get(WHY_URL, {"nps": "2"}).context["decision"]
    assert now["campaign"] is None and now["trace"][0]["outcome"] == "not_started"
    late_today = alice_client.get(WHY_URL, {"nps": "2", "at": f"{today}T23:30"})
    assert late_today.context["decision"]["campaign"] is None
    early_tomorrow = alice_client.get(WHY_URL, {"nps": "2", "at": f"{tomorrow}T00:30"})
    assert early_tomorrow.context["decision"]["campaign"] is not None


def test_every_page_renders_in_greek(alice, alice_client):
    campaign = make_campaign(alice, [make_segment(alice)])
    alice_client.cookies["django_language"] = "el"
    for url in (TYPES_URL, NEW_URL, LIST_URL, edit_url(campaign), f"{WHY_URL}?nps=3"):
        page = alice_client.get(url)
        assert page.status_code == 200, url
        assert '<html lang="el">' in page.content.decode(), url


def test_the_why_page_starts_empty(alice_client):
    page = alice_client.get(WHY_URL)
    assert page.status_code == 200 and page.context["decision"] is None
    assert not page.context["form"].is_bound


def test_a_new_campaign_starts_on_the_shops_today(alice, alice_client):
    segment = make_segment(alice)
    # 22:30 UTC on 1 March is 00:30 on 2 March in Athens (winter time).
    with time_machine.travel(datetime.datetime(2026, 3, 1, 22, 30, tzinfo=datetime.UTC),
                             tick=False):
        client = Client()
        client.force_login(alice)
        client.post(NEW_URL, {"segments": [segment.pk], "title": "Late night"})
    assert Campaign.objects.get().start_date == datetime.date(2026, 3, 2)
