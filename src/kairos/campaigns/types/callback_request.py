"""Customer Recovery Callback Request: an unhappy customer asks to be called back."""

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.campaigns.types.base import CampaignType, ContentField
from kairos.errors import Problems
from kairos.questionnaires.validation import normalize_phone

TIME_WINDOWS = {
    "morning": {"en": "Morning (09:00–12:00)", "el": "Πρωί (09:00–12:00)"},
    "midday": {"en": "Midday (12:00–15:00)", "el": "Μεσημέρι (12:00–15:00)"},
    "afternoon": {"en": "Afternoon (15:00–18:00)", "el": "Απόγευμα (15:00–18:00)"},
    "any": {"en": "Any time", "el": "Οποιαδήποτε ώρα"},
}
MAX_NOTE = 1000


class CallbackRequestType(CampaignType):
    def render(self, campaign, locale, context):
        text = lambda name: self.text(campaign.content, name, locale)  # noqa: E731
        return {
            "headline": text("headline"),
            "message": text("message"),
            "form": {
                "fields": [
                    {"name": "phone_number", "type": "tel", "label": text("phone_label"),
                     "required": True, "value": context.get("phone_number") or ""},
                    {"name": "preferred_time", "type": "select",
                     "label": text("time_label"), "required": False,
                     "options": [{"value": key, "label": labels[locale]}
                                 for key, labels in TIME_WINDOWS.items()]},
                    {"name": "note", "type": "textarea", "label": text("note_label"),
                     "required": False},
                ],
                "consent": {"label": text("consent_text"), "required": True},
                "submit_label": text("submit_label"),
            },
            "thank_you": text("thank_you"),
        }

    def clean_action(self, action_type, payload, context):
        if action_type != "callback_request":
            return {}
        problems = []
        phone = phone_number(payload.get("phone_number"), context["country"], problems)
        if payload.get("consent") is not True:
            problems.append(("consent", _("the customer must agree to be called")))
        preferred = str(payload.get("preferred_time") or "")[:100]
        note = payload.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            problems.append(("note", _("must be text of at most %(max)s characters")
                             % {"max": MAX_NOTE}))
        if problems:
            raise Problems(problems)
        return {"phone_number": phone, "preferred_time": preferred, "note": note.strip(),
                "consent": True, "consent_text": context["consent_text"],
                "consent_at": timezone.now().isoformat()}


def phone_number(value, country, problems):
    if not value:
        problems.append(("phone_number", _("a phone number is required")))
        return ""
    try:
        return normalize_phone(value, country)
    except (ValueError, phonenumbers.NumberParseException):
        problems.append(("phone_number", _("not a valid phone number")))
        return ""


CAMPAIGN_TYPE = CallbackRequestType(
    id="callback_request",
    position=1,
    name=_("Customer Recovery Callback Request"),
    description=_("A form through which an unhappy customer asks to be called back. "
                  "Requests land in the callbacks inbox."),
    icon="📞",
    actions=("callback_request", "dismiss"),
    offers_callbacks=True,
    fields=(
        ContentField("headline", _("Headline"), default={
            "en": "We're sorry we let you down", "el": "Λυπούμαστε που σας απογοητεύσαμε"}),
        ContentField("message", _("Message"), "textarea", default={
            "en": "Leave your number and our team will call you to make it right.",
            "el": "Αφήστε το τηλέφωνό σας και η ομάδα μας θα σας καλέσει για να το διορθώσουμε."}),
        ContentField("phone_label", _("Phone label"), default={
            "en": "Phone number", "el": "Αριθμός τηλεφώνου"}),
        ContentField("time_label", _("Time window label"), default={
            "en": "When should we call?", "el": "Πότε να σας καλέσουμε;"}),
        ContentField("note_label", _("Note label"), default={
            "en": "Anything we should know? (optional)",
            "el": "Κάτι που πρέπει να γνωρίζουμε; (προαιρετικό)"}),
        ContentField("consent_text", _("Consent text"), "textarea", required=True, default={
            "en": "I agree to be called about my order.",
            "el": "Συμφωνώ να με καλέσετε σχετικά με την παραγγελία μου."}),
        ContentField("submit_label", _("Button"), default={
            "en": "Call me back", "el": "Καλέστε με"}),
        ContentField("thank_you", _("Thank-you text"), "textarea", default={
            "en": "Thank you! We will call you soon.",
            "el": "Ευχαριστούμε! Θα σας καλέσουμε σύντομα."}),
    ),
)
