"""The fields a shop's segments can use, with their types.

Answers come from the shop's questionnaires (every version, so an old question stays
usable), metadata from the standard fields and from the extra fields the shop has sent.
"""

from django.utils.translation import get_language

from kairos.engine.rules import METADATA_FIELD_TYPES
from kairos.questionnaires.labels import METADATA_LABELS
from kairos.questionnaires.models import MetadataField, QuestionnaireVersion

ANSWER_TYPES = {"nps": "number", "rating": "number", "text": "text"}


def answer_type(question):
    if question["type"] == "choice":
        return "list" if question["multiple"] else "text"
    return ANSWER_TYPES[question["type"]]


def answer_fields(organization):
    fields = {}
    versions = QuestionnaireVersion.objects.filter(questionnaire__organization=organization)
    for questions in versions.order_by("number").values_list("questions", flat=True):
        for question in questions:
            fields[f"answers.{question['key']}"] = answer_type(question)
    return fields


def field_types(organization):
    """{"answers.nps": "number", "questionnaire.store_id": "text", ...} for one shop."""
    fields = dict(METADATA_FIELD_TYPES)
    extra = MetadataField.objects.filter(organization=organization)
    fields.update({f.path: f.type for f in extra})
    fields.update(answer_fields(organization))
    return fields


def field_labels(organization):
    """{"answers.nps": "How likely are you to recommend us?", "questionnaire.store_id":
    "Store", ...}: what the builder shows, in the active language. A question is named by
    its latest text; an extra metadata field by its key, as the shop sends it."""
    language = get_language() or "en"
    labels = {f"{scope}.{key}": str(label) for scope in ("questionnaire", "responder")
              for key, label in METADATA_LABELS.items()}
    versions = QuestionnaireVersion.objects.filter(questionnaire__organization=organization)
    for questions in versions.order_by("number").values_list("questions", flat=True):
        for question in questions:
            text = question.get("label") or {}
            label = text.get(language[:2]) or next((t for t in text.values() if t), "")
            labels[f"answers.{question['key']}"] = label or question["key"]
    return labels
