"""Publishing questionnaires and recording responses."""

import datetime

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.accounts.signals import organization_created
from kairos.errors import Problems
from kairos.events.outbox import emit
from kairos.questionnaires import rollup
from kairos.questionnaires.defaults import DEFAULT_QUESTIONS, DEFAULT_TITLES
from kairos.questionnaires.events import response_completed
from kairos.questionnaires.models import (
    MetadataField,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Stage,
)
from kairos.questionnaires.validation import clean_submission


@receiver(organization_created)
def create_default_questionnaires(sender, organization, **kwargs):
    for stage in Stage.values:
        titles = DEFAULT_TITLES[stage]
        questionnaire = Questionnaire.objects.create(
            organization=organization, stage=stage, title_en=titles["en"], title_el=titles["el"]
        )
        for position, question in enumerate(DEFAULT_QUESTIONS):
            Question.objects.create(questionnaire=questionnaire, position=position, **question)
        publish(questionnaire)


def publish(questionnaire):
    """Freeze the current questions as a new version; responses keep pointing at theirs."""
    latest = questionnaire.versions.order_by("-number").values_list("number", flat=True)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=(latest.first() or 0) + 1,
        title={"en": questionnaire.title_en, "el": questionnaire.title_el},
        questions=[q.as_schema() for q in questionnaire.questions.all()],
    )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(updated_at=timezone.now())
    return version


def published_version(organization, stage):
    """The version customers answer now, or None when the stage has none (or is off)."""
    return (
        QuestionnaireVersion.objects.select_related("questionnaire").filter(
            questionnaire__organization=organization,
            questionnaire__stage=stage,
            questionnaire__active=True,
        )
        .order_by("-number")
        .first()
    )


def localized_questionnaire(version, locale):
    def pick(labels):
        return labels.get(locale) or labels.get("en") or ""

    return {
        "questionnaire_id": version.questionnaire_id,
        "version": version.number,
        "stage": version.questionnaire.stage,
        "locale": locale,
        "title": pick(version.title),
        "questions": [
            {
                "key": q["key"], "type": q["type"], "required": q["required"],
                "multiple": q["multiple"], "label": pick(q["label"]),
                "options": [{"key": o["key"], "label": pick(o["label"])} for o in q["options"]],
                **score_range(q["type"]),
            }
            for q in version.questions
        ],
    }


def score_range(question_type):
    return {"nps": {"min": 0, "max": 10}, "rating": {"min": 1, "max": 10}}.get(question_type, {})


def build_response(organization, version, submission, *, locale, device_id="",
                   source="widget", submitted_at=None, idempotency_key=None, registered=None):
    """Validate and normalise; returns an unsaved Response (raises Problems).

    `registered`: the shop's metadata field types ({"responder.vip": "boolean"}), when
    the caller holds them already; read from the database otherwise.
    """
    if registered is None:
        registered = registered_field_types(organization)
    clean = clean_submission(version.questions, submission["answers"],
                             submission.get("metadata") or {}, organization.country,
                             registered)
    response = Response(
        organization=organization, questionnaire_version=version,
        stage=version.questionnaire.stage,
        locale=locale, device_id=device_id or "", source=source,
        submitted_at=submitted_at or timezone.now(),
        answers=clean.answers, questionnaire_metadata=clean.questionnaire,
        responder_metadata=clean.responder, idempotency_key=idempotency_key or None,
    )
    copy_typed_fields(response)
    response.field_types = clean.field_types
    return response


def copy_typed_fields(response):
    answers, order, customer = (response.answers, response.questionnaire_metadata,
                                response.responder_metadata)
    response.nps = answers.get("nps") if isinstance(answers.get("nps"), int) else None
    response.rating = answers.get("rating") if isinstance(answers.get("rating"), int) else None
    response.store_id = order.get("store_id")
    response.amount = order.get("amount")
    response.transaction_id = order.get("transaction_id")
    date = order.get("transaction_date")
    response.transaction_date = datetime.date.fromisoformat(date) if date else None
    response.email = customer.get("email")
    response.phone_number = customer.get("phone_number")
    response.customer_id = customer.get("customer_id")
    response.responder_key = responder_key(response)


def responder_key(response):
    for prefix, value in (("customer:", response.customer_id), ("email:", response.email),
                          ("phone:", response.phone_number), ("device:", response.device_id)):
        if value:
            return prefix + value
    return ""


def record_response(organization, version, submission, **options):
    """Validate, normalise and store one response; returns it (raises Problems)."""
    response = build_response(organization, version, submission, **options)
    with transaction.atomic():
        response.save()
        if options.get("submitted_at"):  # a past day may be in the daily rollup already
            rollup.reseal(organization, [response.submitted_at])
        remember_field_types(organization, response.field_types)
        emit(organization, "response.completed", response_completed(response))
    return response


def registered_field_types(organization):
    """{"responder.vip": "boolean", ...}: the type each metadata field was registered with."""
    fields = MetadataField.objects.filter(organization=organization)
    return {field.path: field.type for field in fields}


_known_fields = {}  # organization id -> {field path: type} already registered
TYPE_WORDS = {"number": gettext_lazy("a number"), "text": gettext_lazy("text"),
              "date": gettext_lazy("a date as YYYY-MM-DD"),
              "boolean": gettext_lazy("true or false"), "list": gettext_lazy("a list of texts")}


def remember_field_types(organization, field_types):
    """Register metadata fields the shop sends, so the segment builder can offer them.

    Checked against an in-process map first: registering costs a write only the first
    time a process sees a field. A value cleaned as another type than the one registered
    meanwhile (two first values of a new field at once) is refused: a field never holds
    two types.
    """
    known = _known_fields.setdefault(organization.pk, {})
    for path, kind in field_types.items():
        registered = known.get(path) or register(organization, known, path, kind)
        if registered != kind:
            raise Problems([(f"metadata.{path}", _(
                "must be %(kind)s, like the earlier values of this field") % {
                    "kind": TYPE_WORDS[registered]})])


def registers_fields(organization, field_types):
    """Whether remember_field_types would write (a field this process has not seen)."""
    known = _known_fields.get(organization.pk, {})
    return any(path not in known for path in field_types)


def register(organization, known, path, kind):
    """The type the field is registered with: `kind`, if this registers it."""
    scope, key = path.split(".", 1)
    # A new field moves the shop's config_version: compiled segments read its type.
    field, _created = MetadataField.objects.get_or_create(
        organization=organization, scope=scope, key=key, defaults={"type": kind}
    )
    # Remembered only once committed: a rolled-back registration must be retried.
    transaction.on_commit(lambda: known.setdefault(path, field.type))
    return field.type
