"""The segments dashboard: list, builder form, templates, deletion, roles, isolation."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kairos.accounts.models import Organization
from kairos.accounts.roles import Role
from kairos.questionnaires.models import Questionnaire
from kairos.questionnaires.services import published_version, record_response
from kairos.segments.models import Segment

LIST_URL = "/dashboard/segments/"
NEW_URL = "/dashboard/segments/new/"
DETRACTORS = {"all": [{"field": "answers.nps", "op": "lte", "value": 6}]}


def edit_url(segment):
    return f"{LIST_URL}{segment.pk}/"


def respond(organization, nps, **metadata):
    version = published_version(organization, "checkout")
    submission = {"answers": {"nps": nps}, "metadata": {"questionnaire": metadata}}
    return record_response(organization, version, submission, locale="en")


def make_segment(user, name="Detractors", conditions=DETRACTORS, **fields):
    return Segment.objects.create(organization=user.organization, name=name,
                                  conditions=conditions, **fields)


def form_data(conditions=DETRACTORS, **changes):
    data = {"name": "Unhappy at checkout", "icon": "😠", "questionnaire": "",
            "active": "on", "conditions": json.dumps(conditions)}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# ---- the list ---------------------------------------------------------------------------

def test_list_shows_own_segments_with_sizes(alice, bob, alice_client):
    for nps in (3, 5, 9):
        respond(alice.organization, nps)
    respond(bob.organization, 2)
    make_segment(alice)
    make_segment(bob, name="Bob's secret segment")
    page = alice_client.get(LIST_URL)
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert (row.segment.name, row.size) == ("Detractors", 2)
    assert "Bob&#x27;s secret segment" not in page.content.decode()
    assert "2 responses" in page.content.decode()


def test_list_counts_every_segment_in_one_scan(alice, alice_client):
    respond(alice.organization, 4)

    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            page = alice_client.get(LIST_URL)
        return len(queries), [row.size for row in page.context["rows"]]

    make_segment(alice, name="Segment 0")
    with_one = queries_for_the_list()
    for index in range(1, 5):
        make_segment(alice, name=f"Segment {index}")
    assert queries_for_the_list() == (with_one[0], [1] * 5)


def test_list_marks_a_rule_that_no_longer_validates(alice, alice_client):
    make_segment(alice, conditions={"all": [{"field": "answers.gone", "op": "eq", "value": 1}]})
    page = alice_client.get(LIST_URL)
    assert page.context["rows"][0].size is None
    assert "needs fixing" in page.content.decode()


def test_empty_list_explains_segments(alice_client):
    page = alice_client.get(LIST_URL)
    assert "A segment is a group of customers" in page.content.decode()


# ---- creating and editing ---------------------------------------------------------------

def test_it_creates_a_segment(alice, alice_client):
    page = alice_client.post(NEW_URL, form_data())
    segment = Segment.objects.get(organization=alice.organization)
    assert page.status_code == 302 and page.url == edit_url(segment)
    assert (segment.name, segment.icon, segment.conditions) == (
        "Unhappy at checkout", "😠", DETRACTORS)
    assert segment.active and segment.created_by == alice


def test_it_targets_a_questionnaire_of_the_shop(alice, bob, alice_client):
    own = Questionnaire.objects.get(organization=alice.organization, stage="checkout")
    foreign = Questionnaire.objects.get(organization=bob.organization, stage="checkout")
    assert alice_client.post(NEW_URL, form_data(questionnaire=foreign.pk)).status_code == 200
    assert not Segment.objects.exists()
    alice_client.post(NEW_URL, form_data(questionnaire=own.pk))
    assert Segment.objects.get().questionnaire == own


def test_an_invalid_rule_shows_its_problems_and_saves_nothing(alice_client):
    rule = {"any": [{"field": "answers.nps", "op": "lte", "value": 6},
                    {"all": [{"field": "answers.nps", "op": "lte", "value": "six"}]}]}
    page = alice_client.post(NEW_URL, form_data(rule))
    assert page.status_code == 200
    assert not Segment.objects.exists()
    [problem] = page.context["rule_problems"]
    assert problem.path == "any[1].all[0].value"
    assert problem.where == "Group 1 › Condition 1 › value"
    body = page.content.decode()
    assert "any[1].all[0].value" in body and "must be a number" in body


def test_unreadable_json_is_refused(alice_client):
    page = alice_client.post(NEW_URL, form_data(conditions=None) | {"conditions": "{oops"})
    assert page.status_code == 200 and not Segment.objects.exists()
    assert page.context["form"].errors["conditions"]


def test_it_edits_a_segment(alice, alice_client):
    segment = make_segment(alice)
    rule = {"any": [{"field": "questionnaire.store_id", "op": "in", "value": ["athens"]}]}
    alice_client.post(edit_url(segment), form_data(rule, name="Athens"))
    segment.refresh_from_db()
    assert (segment.name, segment.conditions) == ("Athens", rule)


def test_saving_tells_other_processes(alice, alice_client):
    def version():
        return Organization.objects.get(pk=alice.organization.pk).config_version

    before = version()
    alice_client.post(NEW_URL, form_data())
    assert version() == before + 1


def test_the_builder_shows_the_size_of_the_stored_rule(alice, alice_client):
    respond(alice.organization, 2)
    respond(alice.organization, 10)
    page = alice_client.get(edit_url(make_segment(alice)))
    assert page.context["size"] == "1 response · 1 customer in the last 30 days (of 2)"


# ---- deactivating -----------------------------------------------------------------------

def test_deactivating_warns_about_the_campaigns_it_silences(alice, alice_client):
    from campaigns.helpers import campaign

    segment = make_segment(alice)
    other = Segment.objects.create(organization=alice.organization, name="Other",
                                   conditions={"all": []})
    campaign(alice.organization, [segment], title="Callback for detractors")
    campaign(alice.organization, [segment], title="Coupon")
    campaign(alice.organization, [segment, other], title="Still reaches others")
    page = alice_client.post(edit_url(segment), form_data(active=None), follow=True)
    [message] = list(page.context["messages"])
    assert message.level_tag == "warning"
    assert "Callback for detractors, Coupon" in message.message
    assert "Still reaches others" not in message.message
    segment.refresh_from_db()
    assert not segment.active


def test_deactivating_without_campaigns_says_so(alice, alice_client):
    segment = make_segment(alice)
    page = alice_client.post(edit_url(segment), form_data(active=None), follow=True)
    [message] = list(page.context["messages"])
    assert "no live campaign uses it" in message.message


def test_an_unsaved_segment_has_no_live_campaigns(alice):
    from kairos.segments.services import live_campaigns

    assert live_campaigns(Segment(organization=alice.organization)) == []


# ---- templates and deletion -------------------------------------------------------------

def test_it_creates_a_segment_from_a_template(alice, alice_client):
    page = alice_client.post(f"{LIST_URL}from-template/", {"template": "detractors"})
    segment = Segment.objects.get(organization=alice.organization)
    assert page.url == edit_url(segment)
    assert (segment.name, segment.icon) == ("Detractors", "😠")
    assert segment.conditions == {"all": [{"field": "answers.nps", "op": "between",
                                           "value": [0, 6]}]}


def test_a_template_used_again_gets_a_distinct_name(alice, bob, alice_client):
    Segment.objects.create(organization=bob.organization, name="Detractors")
    for _ in range(3):
        alice_client.post(f"{LIST_URL}from-template/", {"template": "detractors"})
    names = Segment.objects.filter(organization=alice.organization).values_list("name", flat=True)
    # Only the shop's own segments count: bob's "Detractors" takes no name from alice.
    assert sorted(names) == ["Detractors", "Detractors (2)", "Detractors (3)"]


def test_an_unknown_template_creates_nothing(alice_client):
    page = alice_client.post(f"{LIST_URL}from-template/", {"template": "nope"})
    assert page.status_code == 302 and not Segment.objects.exists()


def test_it_deletes_after_confirmation(alice, alice_client):
    segment = make_segment(alice)
    confirm = alice_client.get(f"{edit_url(segment)}delete/")
    assert "Delete “Detractors”?" in confirm.content.decode()
    assert Segment.objects.exists()
    page = alice_client.post(f"{edit_url(segment)}delete/")
    assert page.url == LIST_URL and not Segment.objects.exists()


# ---- who may do what --------------------------------------------------------------------

def test_reporting_users_see_but_cannot_change(alice, member_client):
    segment = make_segment(alice)
    client = member_client(Role.REPORTING)
    page = client.get(edit_url(segment))
    assert page.status_code == 200 and not page.context["may_edit"]
    assert all(field.disabled for field in page.context["form"].fields.values())
    assert client.get(LIST_URL).status_code == 200
    assert client.post(edit_url(segment), form_data(name="Hacked")).status_code == 403
    assert client.post(NEW_URL, form_data()).status_code == 403
    assert client.post(f"{edit_url(segment)}delete/").status_code == 403
    assert client.post(f"{LIST_URL}from-template/", {"template": "happy"}).status_code == 403
    segment.refresh_from_db()
    assert segment.name == "Detractors" and Segment.objects.count() == 1


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL])
def test_agents_may_not_open_segments(member_client, url):
    assert member_client(Role.AGENT).get(url).status_code == 403


def test_it_validates_ownership(alice, bob_client):
    segment = make_segment(alice)
    assert bob_client.get(edit_url(segment)).status_code == 404
    assert bob_client.post(edit_url(segment), form_data(name="Mine")).status_code == 404
    assert bob_client.post(f"{edit_url(segment)}delete/").status_code == 404
    segment.refresh_from_db()
    assert segment.name == "Detractors"


def test_anonymous_visitors_are_sent_to_log_in(client):
    page = client.get(LIST_URL)
    assert page.status_code == 302 and page.url.startswith("/accounts/login/")
