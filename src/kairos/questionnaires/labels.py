"""Answers and metadata in words: labelled from the questionnaire version the customer
answered, in the reader's language. The response page and the callbacks' customer card
both show a response this way."""

from dataclasses import dataclass

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kairos.formats import shown_date

# Human names of the metadata fields Kairos knows; a shop's extra fields show their key.
METADATA_LABELS = {
    "transaction_id": gettext_lazy("Transaction id"),
    "transaction_date": gettext_lazy("Transaction date"),
    "store_id": gettext_lazy("Store"),
    "amount": gettext_lazy("Amount"),
    "products": gettext_lazy("Products"),
    "email": gettext_lazy("Email"),
    "phone_number": gettext_lazy("Phone number"),
    "name": gettext_lazy("Name"),
    "customer_id": gettext_lazy("Customer id"),
    "gender": gettext_lazy("Gender"),
}


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    value: str


def ui_language():
    return (get_language() or "en").split("-")[0]


def pick(labels, language):
    return labels.get(language) or labels.get("en") or ""


def labelled_answers(response, language):
    """The answers in the order and wording of the version the customer answered."""
    questions = response.questionnaire_version.questions
    answers = response.answers
    labelled = [
        Answer(q["key"], pick(q["label"], language), answer_text(q, answers[q["key"]], language))
        for q in questions if q["key"] in answers
    ]
    known = {q["key"] for q in questions}
    # Never hide data: a key the version does not describe is shown as it was stored.
    return labelled + [
        Answer(key, key, display_value(value)) for key, value in answers.items() if key not in known
    ]


def answer_text(question, value, language):
    options = {o["key"]: pick(o["label"], language) for o in question["options"]}
    if not options:
        return display_value(value)
    chosen = value if isinstance(value, list) else [value]
    return ", ".join(options.get(key, key) for key in chosen)


def display_value(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def metadata_items(metadata):
    """(label, value) pairs: the fields Kairos knows first, then the shop's own, by key."""
    known = [key for key in METADATA_LABELS if key in metadata]
    extra = sorted(key for key in metadata if key not in METADATA_LABELS)
    return [(METADATA_LABELS.get(key, key), metadata_value(key, metadata[key]))
            for key in known + extra]


def metadata_value(key, value):
    # The shop sends the order date as ISO text; people read it in the dashboard's format.
    if key == "transaction_date":
        return str(shown_date(value))
    return display_value(value)
