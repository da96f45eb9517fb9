"""POST /api/public/v1/impressions/{id}/actions: what customers do with a campaign."""

import json

import pytest
from campaigns.helpers import campaign, segment, submit
from django.test import Client

from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Action


@pytest.fixture
def shown(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)])
    return submit(shop, nps=2, locale="el")["campaign"]


def act(alice, impression_id, idempotency_key=None, **body):
    payload = {"site_key": alice.organization.site_keys.get().key, **body}
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return Client().post(f"/api/public/v1/impressions/{impression_id}/actions",
                         json.dumps(payload), content_type="application/json", headers=headers)


CALLBACK = {"type": "callback_request", "phone_number": "691 234 5678", "consent": True,
            "preferred_time": "morning", "note": "about order A-1001"}


def test_a_callback_request_is_stored_with_its_consent(alice, shown):
    response = act(alice, shown["impression_id"], **CALLBACK)
    assert response.status_code == 201
    callback = CallbackRequest.objects.get(action_id=response.json()["action_id"])
    assert callback.phone_number == "+306912345678"
    assert callback.consent_text == "Συμφωνώ να με καλέσετε σχετικά με την παραγγελία μου."
    assert callback.consent_at is not None and callback.status == "new"
    assert callback.note == "about order A-1001" and callback.organization == alice.organization


def test_consent_is_required(alice, shown):
    response = act(alice, shown["impression_id"], **{**CALLBACK, "consent": False})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "consent"
    assert not CallbackRequest.objects.exists()


def test_the_phone_number_is_validated(alice, shown):
    response = act(alice, shown["impression_id"], **{**CALLBACK, "phone_number": "123"})
    assert response.status_code == 422 and "phone_number" in response.json()["detail"]


def test_a_retried_submission_is_not_stored_twice(alice, shown):
    first = act(alice, shown["impression_id"], idempotency_key="k-1", **CALLBACK)
    again = act(alice, shown["impression_id"], idempotency_key="k-1", **CALLBACK)
    assert again.status_code == 201 and again.json() == first.json()
    assert CallbackRequest.objects.count() == 1


def test_one_callback_request_per_impression(alice, shown):
    assert act(alice, shown["impression_id"], **CALLBACK).status_code == 201
    second = act(alice, shown["impression_id"], **CALLBACK)
    assert second.status_code == 409 and "already" in second.json()["detail"]


def test_an_action_the_type_does_not_have_is_refused(alice, shown):
    response = act(alice, shown["impression_id"], type="referral", friend_email="a@b.gr")
    assert response.status_code == 422 and response.json()["detail"].startswith("type:")


def test_a_dismissal_is_recorded(alice, shown):
    assert act(alice, shown["impression_id"], type="dismiss").status_code == 201
    assert Action.objects.get().type == "dismiss"


def test_another_shops_site_key_cannot_act_on_the_impression(alice, bob, shown):
    payload = {"site_key": bob.organization.site_keys.get().key, **CALLBACK}
    response = Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                             json.dumps(payload), content_type="application/json")
    assert response.status_code == 404
    assert not Action.objects.exists()


def test_an_unknown_impression_is_404(alice):
    response = act(alice, "00000000-0000-0000-0000-000000000000", type="dismiss")
    assert response.status_code == 404


def test_a_referral_stores_the_friends_email(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)], type="refer_friend")
    shown = submit(shop, nps=1)["campaign"]
    response = act(alice, shown["impression_id"], type="referral",
                   friend_email=" Friend@Example.com")
    assert response.status_code == 201
    assert Action.objects.get().data == {"friend_email": "friend@example.com"}
    bad = act(alice, shown["impression_id"], type="referral", friend_email="nope")
    assert bad.status_code == 409 or bad.status_code == 422


@pytest.mark.parametrize("consent", ["yes", "true", 1, "on", [True], {"value": True}])
def test_only_json_true_is_consent(alice, shown, consent):
    response = act(alice, shown["impression_id"], **{**CALLBACK, "consent": consent})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["consent"]
    assert not Action.objects.exists() and not CallbackRequest.objects.exists()


@pytest.fixture
def shown_coupon(alice):
    shop = alice.organization
    campaign(shop, [segment(shop)], type="onscreen_incentive",
             content={"coupon_mode": "single", "coupon_code": "THANKS10"})
    return submit(shop, nps=2)["campaign"]


def test_a_click_counts_once_per_impression(alice, shown_coupon):
    from kairos.accounts.periods import choose
    from kairos.accounts.shop_time import shop_today
    from kairos.campaigns.models import Campaign
    from kairos.campaigns.reporting import totals

    impression_id = shown_coupon["impression_id"]
    assert act(alice, impression_id, type="click").status_code == 201
    for _again in range(3):
        again = act(alice, impression_id, type="click")
        assert again.status_code == 409 and again.json()["detail"].startswith("type:")
    assert Action.objects.filter(type="click").count() == 1
    shown_campaign = Campaign.objects.get(pk=shown_coupon["campaign_id"])
    today = choose(shop_today(shown_campaign.organization))
    figures = totals(shown_campaign, today.span(shown_campaign.organization))
    assert (figures.impressions, figures.actions) == (1, 1)  # 100%, never more


def test_a_click_and_a_dismissal_of_one_impression_both_count(alice, shown_coupon):
    assert act(alice, shown_coupon["impression_id"], type="click").status_code == 201
    assert act(alice, shown_coupon["impression_id"], type="dismiss").status_code == 201
    assert act(alice, shown_coupon["impression_id"], type="dismiss").status_code == 409


def test_the_database_holds_one_action_of_a_kind_per_impression(alice, shown_coupon):
    from django.db import IntegrityError, transaction

    first = act(alice, shown_coupon["impression_id"], type="click").json()["action_id"]
    original = Action.objects.get(pk=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(organization=original.organization, campaign=original.campaign,
                              impression=original.impression, type="click")


def test_an_idempotency_key_header_too_long_for_its_column_is_refused(alice, shown):
    response = act(alice, shown["impression_id"], idempotency_key="k" * 101, **CALLBACK)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert not Action.objects.exists()
