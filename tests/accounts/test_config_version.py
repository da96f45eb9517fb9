"""Every write of a shop's configuration moves its config_version, whatever path it takes.

App processes keep each shop's compiled configuration until that version moves, so a
write that forgets it leaves every process deciding with the old campaigns. These tests
save each configuration model through every path — the services, the ORM, the Django
admin — and fail when the version stands still.
"""

import datetime
import json
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import F
from django.db.models.signals import post_save

from kairos.accounts.config_version import ConfigurationQuerySet, configuration_models
from kairos.accounts.models import Organization, default_sla
from kairos.campaigns import services as campaigns
from kairos.campaigns.configuration import shop_configuration
from kairos.campaigns.models import Action, Campaign, Impression
from kairos.questionnaires.models import MetadataField, Questionnaire, QuestionnaireVersion
from kairos.questionnaires.services import publish, remember_field_types
from kairos.segments import services as segments
from kairos.segments.models import Segment

DETRACTORS = {"all": [{"field": "answers.nps", "op": "lte", "value": 6}]}
# Every other model of Kairos, and why app processes hold nothing compiled from it.
NOT_CONFIGURATION = {
    "accounts.Membership": "read per request",
    "accounts.SiteKey": "read per request, joined with the shop's version",
    "accounts.ApiKey": "read per request",
    "questionnaires.Question": "a draft: customers see the published version",
    "questionnaires.Response": "customer data, written on the hot path",
    "campaigns.Impression": "customer data, written on the hot path",
    "campaigns.Action": "customer data",
    "campaigns.CouponCode": "claimed from the database when a campaign is shown",
    "campaigns.AuditEntry": "history",
    "campaigns.ExposureFact": "customer data, kept by a periodic job for the lift column",
    "campaigns.ExposureFactsKept": "when that job last kept a shop's exposure facts",
    "callbacks.CallbackRequest": "customer data",
    "callbacks.CallbackAttempt": "the team's work on a request",
    "callbacks.CallbackComment": "the team's work on a request",
    "callbacks.CallbackHistory": "history",
    "callbacks.CallbackStatus": "read per request by the dashboard and the API; "
                                "the decision engine never sees it",
    "events.Event": "the outbox: written with each change, read by the worker",
    "integrations.Subscription": "read by the worker each time it dispatches events",
    "integrations.Delivery": "the worker's work",
    "integrations.Attempt": "history",
    "worker.Heartbeat": "infrastructure: no shop's data",
    "worker.PeriodicRun": "infrastructure: when each periodic job last ran",
    "notifications.CampaignWatch": "read when an e-mail is sent",
    "notifications.NotificationPreferences": "read when an e-mail is sent",
    "notifications.BreachWarning": "history: which requests were warned of",
    "privacy.PrivacyLog": "history",
    "questionnaires.DailyResponses": "counts of responses, read per request by the reports",
    "questionnaires.RollupWatermark": "how far the daily rollup reaches, read per request",
    "reports.CallbackFact": "customer data, kept by a periodic job for closing the loop",
    "reports.CallbackFactsKept": "when that job last kept a shop's callback facts",
}


def version(organization):
    return Organization.objects.values_list("config_version", flat=True).get(pk=organization.pk)


@contextmanager
def moves(organization):
    """`with moves(shop):` fails unless the block moved the shop's version."""
    before = version(organization)
    yield
    assert version(organization) > before, "config_version did not move"


def kairos_models():
    return {m._meta.label for m in apps.get_models() if m.__module__.startswith("kairos.")}


def test_every_model_is_configuration_or_says_why_not():
    configuration = {m._meta.label for m in configuration_models()}
    # The shop itself moves its version in the UPDATE that saves it (Organization.save).
    everything = configuration | set(NOT_CONFIGURATION) | {"accounts.Organization"}
    assert everything == kairos_models()
    assert not configuration & set(NOT_CONFIGURATION)


def test_responses_and_impressions_pay_nothing_for_it():
    assert post_save.has_listeners(Segment)
    for model in (apps.get_model("questionnaires", "Response"), Impression, Action):
        assert not post_save.has_listeners(model), model


# ---- the ORM, model by model -------------------------------------------------------------

def new_segment(shop):
    return Segment.objects.create(organization=shop, name="Detractors", conditions=DETRACTORS)


def new_campaign(shop):
    return Campaign.objects.create(organization=shop, type="callback_request", title="Call",
                                   start_date=datetime.date(2026, 1, 1))


def new_questionnaire(shop):
    Questionnaire.objects.filter(organization=shop, stage="after_sales").delete()
    return Questionnaire.objects.create(organization=shop, stage="after_sales")


def new_version(shop):
    questionnaire = Questionnaire.objects.get(organization=shop, stage="checkout")
    return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=99,
                                               questions=[])


def new_metadata_field(shop):
    return MetadataField.objects.create(organization=shop, scope="questionnaire",
                                        key="coupon", type="text")


BUILDERS = {"segments.Segment": new_segment, "campaigns.Campaign": new_campaign,
            "questionnaires.Questionnaire": new_questionnaire,
            "questionnaires.QuestionnaireVersion": new_version,
            "questionnaires.MetadataField": new_metadata_field}


def test_every_configuration_model_is_saved_here():
    assert set(BUILDERS) == {m._meta.label for m in configuration_models()}


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_creating_saving_and_deleting_through_the_orm_moves_it(alice, label):
    shop = alice.organization
    with moves(shop):
        row = BUILDERS[label](shop)
    with moves(shop):
        row.save()
    with moves(shop):
        row.delete()


def some_field(model):
    """A plain column of the model, to write back unchanged."""
    return next(f for f in model._meta.concrete_fields
                if not f.primary_key and not f.is_relation)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_bulk_writes_through_the_orm_move_it(alice, label):
    shop = alice.organization
    row = BUILDERS[label](shop)
    model, field = type(row), some_field(type(row))
    assert isinstance(model._default_manager.all(), ConfigurationQuerySet)
    with moves(shop):
        model.objects.filter(pk=row.pk).update(**{field.attname: F(field.attname)})
    with moves(shop):
        model.objects.bulk_update([row], [field.name])


def test_a_bulk_create_moves_it(alice):
    shop = alice.organization
    with moves(shop):
        Segment.objects.bulk_create([Segment(organization=shop, name="A", conditions={})])


@pytest.mark.parametrize("change", ["add", "remove", "clear", "reverse_add"])
def test_changing_a_campaigns_segments_moves_it(alice, change):
    shop = alice.organization
    campaign, segment = new_campaign(shop), new_segment(shop)
    if change in ("remove", "clear"):
        campaign.segments.add(segment)
    with moves(shop):
        {"add": lambda: campaign.segments.add(segment),
         "remove": lambda: campaign.segments.remove(segment),
         "clear": campaign.segments.clear,
         "reverse_add": lambda: segment.campaigns.add(campaign)}[change]()


def test_saving_the_shop_moves_it_and_never_writes_an_older_version_back(alice):
    shop = alice.organization
    stale = Organization.objects.get(pk=shop.pk)
    new_segment(shop)  # moves the version the stale copy does not know about
    moved = version(shop)
    stale.time_zone = "Europe/London"
    stale.save()
    assert version(shop) == stale.config_version == moved + 1
    with moves(shop):
        stale.save(update_fields=["name"])


# ---- the Django admin --------------------------------------------------------------------

def test_every_configuration_model_in_the_admin_is_saved_here():
    registered = {model._meta.label for model in admin.site._registry}
    configuration = {m._meta.label for m in configuration_models()} | {"accounts.Organization"}
    assert registered & configuration == {"accounts.Organization"}


def test_a_time_zone_changed_in_the_admin_reaches_every_process(alice, admin_client):
    shop = alice.organization
    assert shop_configuration(shop).book.time_zone == "Europe/Athens"
    with moves(shop):
        page = admin_client.post(f"/admin/accounts/organization/{shop.pk}/change/", {
            "name": shop.name, "country": "GR", "time_zone": "Europe/London",
            "default_language": "el", "sla": json.dumps(default_sla()),
            "created_at_0": "2026-01-01", "created_at_1": "00:00:00"})
        assert page.status_code == 302, page.content
    shop.refresh_from_db()
    assert shop_configuration(shop).book.time_zone == "Europe/London"


# ---- the services, use case by use case --------------------------------------------------

def create_campaign(shop):
    fields = {"type": "callback_request", "title": "Call", "active": True}
    return campaigns.create_campaign(shop, fields, [new_segment(shop).pk])


SERVICES = {
    "create a campaign": lambda shop: create_campaign(shop),
    "update a campaign": lambda shop: campaigns.update_campaign(create_campaign(shop),
                                                                {"priority": 3}),
    "archive a campaign": lambda shop: campaigns.archive_campaign(create_campaign(shop)),
    "duplicate a campaign": lambda shop: campaigns.duplicate_campaign(create_campaign(shop)),
    "create a segment": lambda shop: segments.create_segment(
        shop, {"name": "Detractors", "conditions": DETRACTORS}),
    "update a segment": lambda shop: segments.update_segment(new_segment(shop),
                                                             {"active": False}),
    "delete a segment": lambda shop: segments.delete_segment(new_segment(shop)),
    "create a segment from a template": lambda shop: segments.create_segment_from_preset(
        shop, "promoters"),
    "publish a questionnaire": lambda shop: publish(
        Questionnaire.objects.get(organization=shop, stage="checkout")),
    "meet a new metadata field": lambda shop: remember_field_types(
        shop, {"questionnaire.coupon": "text"}),
}


@pytest.mark.parametrize("use_case", sorted(SERVICES))
def test_every_configuration_service_moves_it(alice, use_case):
    shop = alice.organization
    before = version(shop)
    SERVICES[use_case](shop)
    assert version(shop) > before


def test_the_shops_settings_page_moves_it(alice, alice_client):
    shop = alice.organization
    with moves(shop):
        page = alice_client.post("/settings/", {"name": shop.name, "country": "GR",
                                                "time_zone": "Europe/London",
                                                "default_language": "en"})
        assert page.status_code == 302
