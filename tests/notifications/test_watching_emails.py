"""A new callback request is mailed to its campaign's watchers, or to everyone who works
callbacks while nobody watches it; each member's preferences are respected."""

import re

import pytest
from django.core import mail
from django.test import Client
from notifications.notify_helpers import (
    ask_for_a_call,
    join,
    prefer,
    recipients,
    two_campaigns,
    watch,
)
from webhook_helpers import work

from kairos.accounts.roles import Role
from kairos.notifications.models import CampaignWatch


@pytest.fixture
def team(alice):
    """Alice owns the shop; an admin, two agents, a campaign manager and a reporting user."""
    shop = alice.organization
    return {"owner": shop.memberships.get(user=alice),
            **{name: join(shop, f"{name}@example.com", role) for name, role in [
                ("admin", Role.ADMIN), ("ann", Role.AGENT), ("bill", Role.AGENT),
                ("manager", Role.CAMPAIGN_MANAGER), ("reports", Role.REPORTING)]}}


def test_watchers_alone_hear_of_their_campaigns_requests(alice, team):
    unhappy, happy = two_campaigns(alice.organization)
    watch(team["ann"], unhappy)
    watch(team["manager"], unhappy)  # a campaign manager who works callbacks may watch
    ask_for_a_call(alice.organization, nps=2)
    work()
    assert recipients(mail.outbox) == ["ann@example.com", "manager@example.com"]


def test_a_campaign_nobody_watches_goes_to_all_who_work_callbacks(alice, team):
    unhappy, happy = two_campaigns(alice.organization)
    watch(team["ann"], unhappy)
    ask_for_a_call(alice.organization, nps=10)  # the happy campaign: nobody watches it
    work()
    assert recipients(mail.outbox) == ["admin@example.com", "alice@example.com",
                                       "ann@example.com", "bill@example.com"]


def test_a_watcher_who_may_no_longer_work_callbacks_is_no_watcher(alice, team):
    unhappy, _happy = two_campaigns(alice.organization)
    watch(team["manager"], unhappy)
    team["manager"].role = Role.REPORTING
    team["manager"].save()
    ask_for_a_call(alice.organization, nps=2)
    work()
    assert "manager@example.com" not in recipients(mail.outbox)
    assert "bill@example.com" in recipients(mail.outbox)  # so everyone hears of it


def test_members_who_switched_new_request_e_mails_off_are_not_mailed(alice, team):
    two_campaigns(alice.organization)
    prefer(team["bill"], new_requests=False)
    prefer(team["admin"], new_requests=False)
    prefer(team["ann"], new_requests=True, breach_warnings=False)
    ask_for_a_call(alice.organization)
    work()
    assert recipients(mail.outbox) == ["alice@example.com", "ann@example.com"]


def test_a_member_reads_the_e_mail_in_the_language_they_chose(alice, team):
    two_campaigns(alice.organization)  # a Greek shop
    prefer(team["ann"], language="en")
    ask_for_a_call(alice.organization)
    work()
    by_address = {email.to[0]: email for email in mail.outbox}
    assert by_address["ann@example.com"].subject == "Alice Shop: a customer asked to be called back"
    assert by_address["bill@example.com"].subject.startswith("Alice Shop: ένας πελάτης")


def test_another_shops_watchers_and_agents_are_never_told(alice, bob, team):
    unhappy, _happy = two_campaigns(alice.organization)
    bobs_agent = join(bob.organization, "bobs-agent@example.com", Role.AGENT)
    join(alice.organization, "bobs-agent@example.com", Role.REPORTING)  # in both shops
    bobs_unhappy, _ = two_campaigns(bob.organization)
    watch(bobs_agent, bobs_unhappy)
    ask_for_a_call(alice.organization)
    work()
    assert "bob@example.com" not in recipients(mail.outbox)
    assert "bobs-agent@example.com" not in recipients(mail.outbox)


def watch_toggle(client, campaign, on, next_page="/dashboard/callbacks/"):
    data = {"next": next_page, **({"watch": "on"} if on else {})}
    return client.post(f"/dashboard/notifications/watch/{campaign.pk}/", data)


def agent_client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def test_an_agent_watches_a_campaign_from_the_queue_and_stops(alice, team):
    unhappy, happy = two_campaigns(alice.organization)
    client = agent_client(team["ann"])
    queue = client.get("/dashboard/callbacks/").content.decode()
    assert f'action="/dashboard/notifications/watch/{unhappy.pk}/"' in queue
    assert "Unhappy" in queue and "Happy" in queue
    answer = watch_toggle(client, unhappy, on=True)
    assert answer.status_code == 302 and answer.url == "/dashboard/callbacks/"
    watch_toggle(client, unhappy, on=True)  # twice: still one watch
    assert list(CampaignWatch.objects.values_list("membership", "campaign")) == [
        (team["ann"].pk, unhappy.pk)]
    assert 'aria-pressed="true"' in client.get("/dashboard/callbacks/").content.decode()
    watch_toggle(client, unhappy, on=False)
    assert not CampaignWatch.objects.exists()


def test_the_campaign_page_has_the_watch_button(alice_client, alice):
    unhappy, _happy = two_campaigns(alice.organization)
    page = alice_client.get(f"/dashboard/campaigns/{unhappy.pk}/").content.decode()
    assert f'action="/dashboard/notifications/watch/{unhappy.pk}/"' in page
    watch_toggle(alice_client, unhappy, on=True, next_page=f"/dashboard/campaigns/{unhappy.pk}/")
    page = alice_client.get(f"/dashboard/campaigns/{unhappy.pk}/").content.decode()
    assert 'aria-pressed="true"' in page


def test_no_one_watches_another_shops_campaign_or_leaves_the_site(alice, bob, team):
    bobs_unhappy, _ = two_campaigns(bob.organization)
    client = agent_client(team["ann"])
    assert watch_toggle(client, bobs_unhappy, on=True).status_code == 404
    assert not CampaignWatch.objects.exists()
    unhappy, _ = two_campaigns(alice.organization)
    answer = watch_toggle(client, unhappy, on=True, next_page="https://evil.example/")
    assert answer.url == "/dashboard/notifications/"


def test_a_reporting_user_cannot_watch(alice, team):
    unhappy, _ = two_campaigns(alice.organization)
    client = agent_client(team["reports"])
    assert watch_toggle(client, unhappy, on=True).status_code == 403
    assert client.get("/dashboard/notifications/").status_code == 403


def test_a_member_sets_their_own_preferences(alice, team):
    client = agent_client(team["ann"])
    page = client.get("/dashboard/notifications/")
    assert page.status_code == 200
    checked = re.findall(r'<input type="checkbox" name="(\w+)"[^>]*checked', page.content.decode())
    assert checked == ["new_requests", "breach_warnings"]  # the defaults: no digest
    answer = client.post("/dashboard/notifications/", {"breach_warnings": "on",
                                                       "daily_digest": "on", "language": "en"})
    assert answer.status_code == 302
    stored = team["ann"].notification_preferences
    assert (stored.new_requests, stored.breach_warnings, stored.daily_digest,
            stored.language) == (False, True, True, "en")
    assert not hasattr(team["bill"], "notification_preferences")  # only her own
    refused = client.post("/dashboard/notifications/", {"language": "xx"})
    assert refused.status_code == 200 and "language" in refused.content.decode()
