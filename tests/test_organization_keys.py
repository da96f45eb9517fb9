"""Every table of Kairos is keyed by the organisation (issue 18, "Scale-out"): it has a
foreign key to its shop, or reaches one through a named parent. So a sharded PostgreSQL
(Citus, distributing by the shop) stays possible: README, "Running more than one server".

A new model fails here until it says how it reaches its shop, or why it belongs to no
shop. The parents named by the personal-data registry (kairos/personal_data.py) count.
"""

from django.apps import apps

from kairos.accounts.models import Organization
from kairos.personal_data import REGISTRY

# Models without an `organization` column, and the lookup through which they reach it.
THROUGH_A_PARENT = {
    "questionnaires.Question": "questionnaire__organization",
    "questionnaires.QuestionnaireVersion": "questionnaire__organization",
    "campaigns.CouponCode": "campaign__organization",
    "notifications.CampaignWatch": "membership__organization",
    "notifications.NotificationPreferences": "membership__organization",
    "notifications.BreachWarning": "callback__organization",
    # callbacks.CallbackAttempt, CallbackComment, CallbackHistory: in the registry
}
# Kairos' tables of no shop, and why.
NO_SHOP = {
    "accounts.Organization": "the shop itself: its id is what the others are keyed by",
    "worker.Heartbeat": "the background workers' own liveness, one row per worker",
    "worker.PeriodicRun": "when each server-wide periodic job last ran",
}


def lookups():
    named = {entry.model: entry.organization for entry in REGISTRY
             if entry.organization != "organization"}
    return {**named, **THROUGH_A_PARENT}


def reaches_the_shop(model, lookup):
    """Whether `lookup` (a__b__organization) is a chain of foreign keys to Organization."""
    for name in lookup.split("__"):
        field = model._meta.get_field(name)
        if not (field.is_relation and field.many_to_one or field.one_to_one):
            return False
        model = field.related_model
    return model is Organization


def kairos_models():
    return [model for model in apps.get_models() if model.__module__.startswith("kairos.")]


def test_every_kairos_table_is_keyed_by_the_organisation():
    through = lookups()
    unkeyed = []
    for model in kairos_models():
        label = model._meta.label
        if label in NO_SHOP:
            continue
        lookup = "organization" if any(f.name == "organization"
                                       for f in model._meta.concrete_fields) else through.get(label)
        if lookup is None or not reaches_the_shop(model, lookup):
            unkeyed.append(label)
    assert unkeyed == [], "give them an organization foreign key, or name their parent here"


def test_the_lists_name_real_models_of_no_direct_key():
    labels = {model._meta.label for model in kairos_models()}
    assert set(THROUGH_A_PARENT) <= labels and set(NO_SHOP) <= labels
    for label in THROUGH_A_PARENT:
        fields = apps.get_model(label)._meta.concrete_fields
        assert not any(f.name == "organization" for f in fields), f"{label}: key it directly"
