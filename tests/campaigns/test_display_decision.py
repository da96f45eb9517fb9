"""The display decision end to end: POST /api/public/v1/responses picks the campaign."""

import datetime

import time_machine
from campaigns.helpers import PROMOTERS, campaign, segment, shown_campaign_id, submit

from kairos.campaigns.models import Impression

# 2026-11-27 10:00 in Athens.
MORNING = datetime.datetime(2026, 11, 27, 8, 0, tzinfo=datetime.UTC)


def test_a_detractor_gets_the_callback_campaign_in_their_language(alice):
    shop = alice.organization
    chosen = campaign(shop, [segment(shop)], title="Detractors — checkout")
    data = submit(shop, nps=2, locale="el")
    assert data["campaign"]["campaign_id"] == chosen.pk
    assert data["campaign"]["type"] == "callback_request"
    assert data["campaign"]["content"]["headline"] == "Λυπούμαστε που σας απογοητεύσαμε"
    impression = Impression.objects.get(pk=data["campaign"]["impression_id"])
    assert impression.campaign == chosen and str(impression.response_id) == data["response_id"]


def test_a_promoter_gets_nothing_from_a_detractor_campaign(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    assert submit(shop, nps=10)["campaign"] is None
    assert Impression.objects.count() == 0


def test_the_best_priority_wins_and_ties_go_to_the_older_campaign(alice):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], title="low", priority=5)
    older = campaign(shop, [detractors], title="older", priority=1)
    campaign(shop, [detractors], title="newer", priority=1)
    assert shown_campaign_id(shop, nps=1) == older.pk


def test_inactive_campaigns_and_inactive_segments_are_never_shown(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)], active=False)
    campaign(shop, [segment(shop, active=False)])
    assert submit(shop, nps=1)["campaign"] is None


def test_several_segments_are_combined_with_or(alice):
    shop = alice.organization
    both = campaign(shop, [segment(shop), segment(shop, PROMOTERS, name="Promoters")])
    assert shown_campaign_id(shop, nps=1) == both.pk
    assert shown_campaign_id(shop, nps=10, device="d-2") == both.pk
    assert shown_campaign_id(shop, nps=8, device="d-3") is None


def test_the_window_is_inclusive_in_the_shops_time_zone(alice):
    shop = alice.organization
    day = datetime.date(2026, 11, 27)
    with time_machine.travel(MORNING, tick=False):
        chosen = campaign(shop, [segment(shop)], start_date=day, end_date=day)
    # 23:59 Athens on the end date is still inside; 00:00 the next day is not.
    with time_machine.travel(datetime.datetime(2026, 11, 27, 21, 59, tzinfo=datetime.UTC)):
        assert shown_campaign_id(shop, nps=1, device="a") == chosen.pk
    with time_machine.travel(datetime.datetime(2026, 11, 27, 22, 0, 1, tzinfo=datetime.UTC)):
        assert shown_campaign_id(shop, nps=1, device="b") is None
    # 00:00 Athens on the start date is 22:00 UTC the day before.
    with time_machine.travel(datetime.datetime(2026, 11, 26, 22, 0, 1, tzinfo=datetime.UTC)):
        assert shown_campaign_id(shop, nps=1, device="c") == chosen.pk


def test_a_campaign_is_shown_only_in_its_languages(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)], languages=["el"])
    assert shown_campaign_id(shop, nps=1, locale="en") is None
    assert shown_campaign_id(shop, nps=1, locale="el", device="d-2") is not None


def test_the_frequency_cap_holds_across_devices_for_a_known_customer(alice):
    shop = alice.organization
    maria = {"email": "maria@example.com"}
    with time_machine.travel(MORNING, tick=False):
        # Created on the day it runs: a campaign starts on the day it was created.
        capped = campaign(shop, [segment(shop)], frequency_cap_minutes=24 * 60)
        assert shown_campaign_id(shop, device="phone", responder=maria) == capped.pk
    with time_machine.travel(MORNING + datetime.timedelta(hours=23, minutes=59), tick=False):
        assert shown_campaign_id(shop, device="laptop",
                                 responder={"email": " Maria@Example.com"}) is None
    with time_machine.travel(MORNING + datetime.timedelta(hours=24), tick=False):
        assert shown_campaign_id(shop, device="laptop", responder=maria) == capped.pk


def test_a_capped_campaign_lets_the_next_best_through(alice):
    shop = alice.organization
    detractors = segment(shop)
    first = campaign(shop, [detractors], priority=0, frequency_cap_minutes=60)
    second = campaign(shop, [detractors], priority=1)
    assert shown_campaign_id(shop, device="same") == first.pk
    assert shown_campaign_id(shop, device="same") == second.pk


def test_a_change_in_the_dashboard_reaches_the_next_response(alice):
    shop = alice.organization
    detractors = segment(shop)
    chosen = campaign(shop, [detractors])
    assert shown_campaign_id(shop, device="1") == chosen.pk
    detractors.active = False
    detractors.save()  # no hand-made signal to other processes: saving is enough
    assert shown_campaign_id(shop, device="2") is None


def test_a_campaign_the_widget_cannot_show_is_never_chosen_nor_recorded(alice):
    shop = alice.organization
    detractors = segment(shop)
    campaign(shop, [detractors], priority=0)  # callback_request
    referral = campaign(shop, [detractors], priority=1, type="refer_friend")
    shown = submit(shop, campaign_types=["refer_friend", "no_such_type"])["campaign"]
    assert shown["campaign_id"] == referral.pk
    assert submit(shop, device="d-2", campaign_types=[])["campaign"] is None
    assert list(Impression.objects.values_list("campaign_id", flat=True)) == [referral.pk]
    assert submit(shop, device="d-3")["campaign"]["type"] == "callback_request"


def test_one_shops_campaigns_never_reach_another_shops_customers(alice, bob):
    campaign(alice.organization, [segment(alice.organization)])
    assert submit(bob.organization, nps=0)["campaign"] is None


def test_the_callback_form_is_prefilled_with_the_known_phone(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    data = submit(shop, responder={"phone_number": "6912345678"})
    phone = data["campaign"]["content"]["form"]["fields"][0]
    assert phone == {**phone, "name": "phone_number", "value": "+306912345678"}
