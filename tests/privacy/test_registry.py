"""Every text and JSON column of Kairos is either registered as personal data or said not
to be: a new column that holds a customer's data cannot slip past export, erasure,
retention and masking."""

from django.apps import apps
from django.db import models

from kairos.personal_data import NOT_PERSONAL, REGISTRY, mask, pseudonym
from kairos.privacy.api import ExportOut


def text_columns(model):
    return {f.name for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)}


def test_every_text_and_json_column_is_classified():
    unclassified = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kairos."):
            continue
        label = model._meta.label
        entry = next((e for e in REGISTRY if e.model == label), None)
        known = set(entry.columns if entry else ()) | NOT_PERSONAL.get(label, set())
        missing = text_columns(model) - known
        if missing:
            unclassified[label] = sorted(missing)
    assert unclassified == {}, "add them to kairos/personal_data.py"


def test_the_registry_names_real_columns():
    for entry in REGISTRY:
        model = apps.get_model(entry.model)
        assert set(entry.columns) <= text_columns(model), entry.model
        assert not set(entry.columns) & NOT_PERSONAL.get(entry.model, set())
        model.objects.filter(**{f"{entry.dated_by}__isnull": True})  # a FieldError if not


def test_a_pseudonym_is_keyed_stable_and_per_shop(settings):
    settings.PRIVACY_HASH_KEY = "k1"
    first = pseudonym(1, "maria@example.com")
    assert first == pseudonym(1, "maria@example.com")
    assert first.startswith("anon:") and "maria" not in first
    assert pseudonym(2, "maria@example.com") != first
    assert pseudonym(1, first) == first  # never hashed twice
    settings.PRIVACY_HASH_KEY = "k2"
    assert pseudonym(1, "maria@example.com") != first


def test_masks_keep_enough_to_tell_rows_apart():
    assert mask("maria@example.com") == "m…@example.com"
    assert mask("+306900000001") == "+306…01"
    assert mask("Maria Papa") == "M…"
    assert mask(None) is None and mask("") == ""


def test_the_export_schema_names_every_section_of_the_registry():
    sections = {entry.export_as for entry in REGISTRY if entry.response is not None}
    assert sections | {"referrals_naming_you", "webhook_events"} <= set(ExportOut.model_fields)
