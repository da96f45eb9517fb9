"""Where Kairos keeps personal data, in one list, and the two ways it hides it.

Export, erasure, retention and masking all walk `REGISTRY`: a model that gains a column
holding a customer's data is added here once and every one of them follows. A test
(tests/privacy/test_registry.py) fails when a text or JSON column of a Kairos model is
neither here nor in `NOT_PERSONAL`, so nobody adds personal data by accident.

- *Pseudonymise* (retention): a keyed one-way hash, `anon:` + hex. The same value gives
  the same pseudonym within a shop, so statistics, segments over answers and counts of
  distinct customers stay as they were, while nobody can read the person back without
  the key (PRIVACY_HASH_KEY, by default derived from SECRET_KEY).
- *Mask* (roles that need statistics, not people): "m…@example.com", for display only.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from kairos.accounts.roles import Permission
from kairos.errors import Problems

PSEUDONYM_PREFIX = "anon:"
# The customer's identities and name as the responder metadata carries them; a shop adds
# its own keys (Organization.personal_fields, e.g. "responder.address").
IDENTITY_KEYS = ("email", "phone_number", "name", "customer_id")
# An order id names nobody outside the shop but leads to the order's name and address in
# it: retention pseudonymises it too (masking leaves it, reports need it).
ORDER_KEYS = ("transaction_id",)
# How a JSON column's personal values are found (see privacy/retention.py):
EVERY_TEXT = "every_text"  # every text value in it (forms a customer filled in)
PERSONAL_KEYS = "personal_keys"  # the identity keys and the keys the shop flagged
TEXT_ANSWERS = "text_answers"  # answers to free-text questions
WHOLE = "whole"  # the whole document (a copy of other data: an event's payload)
# …or a tuple of keys: the values under those keys (a history's {"resolution": [before,
# after]}), whatever else the document holds left as it is.


@dataclass(frozen=True)
class PersonalFields:
    """One model's columns that hold a customer's personal data.

    `response`: the lookup from the model to the Response it belongs to ("" for Response
    itself): erasure finds (and deletes) the rows of one customer through it, export
    lists them. `dated_by`: the time retention compares with the cutoff. `campaign`: the
    lookup to the campaign that collected the row, whose own retention then applies.
    `organization`: the lookup to the shop (a callback's attempts reach it through the
    callback).
    """

    model: str  # "app_label.ModelName"
    export_as: str  # its section in a customer's export, e.g. "responses"
    texts: tuple = ()
    json: dict = field(default_factory=dict)  # column -> EVERY_TEXT | PERSONAL_KEYS | …
    organization: str = "organization"
    response: str | None = None
    dated_by: str = "created_at"
    campaign: str | None = None
    # A copy of other rows on its way out (an event's payload): the earliest cutoff of
    # the shop's and the campaign's retention applies to it.
    copy: bool = False

    @property
    def columns(self):
        return (*self.texts, *self.json)


REGISTRY = (
    # questionnaires
    PersonalFields(
        "questionnaires.Response", "responses",
        texts=("email", "phone_number", "customer_id", "device_id", "responder_key",
               "transaction_id"),
        json={"responder_metadata": PERSONAL_KEYS, "questionnaire_metadata": PERSONAL_KEYS,
              "answers": TEXT_ANSWERS},
        response="", dated_by="submitted_at"),
    # campaigns: what a campaign collected (its frequency-cap history included)
    PersonalFields(
        "campaigns.Impression", "impressions",
        texts=("email", "phone_number", "customer_id", "device_id"),
        response="response", dated_by="shown_at", campaign="campaign"),
    PersonalFields(
        "campaigns.Action", "actions", json={"data": EVERY_TEXT},
        response="impression__response", campaign="campaign"),
    # callbacks: the request with its consent, and what the team wrote about the customer
    # (call notes, comments, the history's before and after of the resolution)
    PersonalFields(
        "callbacks.CallbackRequest", "callback_requests",
        texts=("phone_number", "preferred_time", "note", "resolution"),
        response="response", campaign="campaign"),
    PersonalFields(
        "callbacks.CallbackAttempt", "callback_attempts", texts=("note",),
        response="callback__response", campaign="callback__campaign",
        organization="callback__organization"),
    PersonalFields(
        "callbacks.CallbackComment", "callback_comments", texts=("text",),
        response="callback__response", campaign="callback__campaign",
        organization="callback__organization"),
    PersonalFields(
        "callbacks.CallbackHistory", "callback_history", json={"changes": ("resolution",)},
        response="callback__response", campaign="callback__campaign",
        organization="callback__organization"),
    # events and webhooks: copies of the above on their way out (privacy/services.py
    # finds them by the response they came from and redacts them whole)
    PersonalFields("events.Event", "webhook_events", json={"data": WHOLE},
                   campaign="data__campaign_id", copy=True),
    # What a receiver answered may echo the event it was sent: dated by that event, so it
    # goes when the event's payload goes, however late the delivery was tried.
    PersonalFields("integrations.Attempt", "webhook_attempts", texts=("response_body",),
                   dated_by="delivery__event__created_at",
                   campaign="delivery__event__data__campaign_id", copy=True),
)

# Text and JSON columns of Kairos' models that hold no customer's personal data: the
# shop's configuration, codes and statuses, and its own team's addresses.
NOT_PERSONAL = {
    "accounts.Organization": {"name", "country", "time_zone", "default_language",
                              "contact_budget", "personal_fields", "sla"},
    "accounts.Membership": {"role"},
    "accounts.SiteKey": {"key", "label", "allowed_origins"},
    "accounts.ApiKey": {"name", "prefix", "hashed_key", "role"},
    "questionnaires.Questionnaire": {"stage", "title_en", "title_el"},
    "questionnaires.Question": {"key", "type", "label_en", "label_el", "options"},
    "questionnaires.QuestionnaireVersion": {"title", "questions"},
    "questionnaires.Response": {"stage", "locale", "source", "store_id", "idempotency_key"},
    "questionnaires.MetadataField": {"scope", "key", "type"},
    "segments.Segment": {"name", "icon", "conditions"},
    "campaigns.Campaign": {"type", "title", "languages", "content", "callback_hours"},
    "campaigns.Impression": {"locale", "coupon_code"},
    "campaigns.Action": {"type", "idempotency_key"},
    "campaigns.CouponCode": {"code"},
    "campaigns.AuditEntry": {"via", "action", "changes"},
    "callbacks.CallbackRequest": {"consent_text", "status", "outcome"},
    # the team's own e-mails or API key names, as the history and attempts record them
    "callbacks.CallbackAttempt": {"outcome", "author_label"},
    "callbacks.CallbackComment": {"author_label"},
    "callbacks.CallbackHistory": {"kind", "actor_label"},
    "callbacks.CallbackStatus": {"key", "title", "colour"},
    "events.Event": {"type"},
    "integrations.Subscription": {"url", "events", "description", "secret", "previous_secret",
                                  "disabled_reason"},
    "integrations.Delivery": {"message_id", "event_type", "status", "last_error"},
    "integrations.Attempt": {"error"},
    "worker.Heartbeat": {"worker_id", "hostname"},
    "worker.PeriodicRun": {"name"},
    "notifications.NotificationPreferences": {"language"},
    "privacy.PrivacyLog": {"kind", "via", "actor", "counts"},
    # counts per day, stage and store: no customer in them
    "questionnaires.DailyResponses": {"stage", "store_id"},
    "questionnaires.RollupWatermark": {"time_zone"},
}


def registered(model_label):
    return next((entry for entry in REGISTRY if entry.model == model_label), None)


def hash_key():
    return (getattr(settings, "PRIVACY_HASH_KEY", "") or settings.SECRET_KEY).encode()


def pseudonym(organization_id, value):
    """`anon:` + a keyed hash of the value, the same for the same value in one shop (and
    different in another). A value already pseudonymised stays as it is, so doing it
    twice changes nothing; None and "" stay empty."""
    if value is None or value == "":
        return value
    text = str(value)
    if text.startswith(PSEUDONYM_PREFIX):
        return text
    message = f"{organization_id}:{text}".encode()
    return PSEUDONYM_PREFIX + hmac.new(hash_key(), message, hashlib.sha256).hexdigest()[:32]


def is_pseudonym(value):
    return isinstance(value, str) and value.startswith(PSEUDONYM_PREFIX)


def personal_keys(organization, scope):
    """The metadata keys of `scope` ("responder" or "questionnaire") that name a person:
    masked for roles that do not need them."""
    flagged = [path.split(".", 1)[1] for path in (organization.personal_fields or [])
               if path.startswith(scope + ".")]
    return (*IDENTITY_KEYS, *flagged) if scope == "responder" else tuple(flagged)


def retained_keys(organization, scope):
    """The metadata keys retention pseudonymises: the personal ones and the order id."""
    keys = personal_keys(organization, scope)
    return keys if scope == "responder" else (*ORDER_KEYS, *keys)


def mask(value):
    """What a role without access to personal data sees: enough to tell rows apart."""
    if value is None or value == "" or is_pseudonym(value):
        return value
    text = str(value)
    if "@" in text:
        local, domain = text.rsplit("@", 1)
        return f"{local[:1]}…@{domain}"
    if text.startswith("+") and len(text) > 6:
        return f"{text[:4]}…{text[-2:]}"
    return f"{text[:1]}…"


def masked_metadata(metadata, keys):
    return {key: mask(value) if key in keys else value for key, value in metadata.items()}


def sees_people(actor):
    """Whether the actor's role may see customers' personal data unmasked."""
    return actor is not None and actor.can(Permission.VIEW_PERSONAL_DATA)


def shown_metadata(actor, scope, metadata):
    """A response's metadata as this actor may see it."""
    if sees_people(actor):
        return metadata
    return masked_metadata(metadata, personal_keys(actor.organization, scope))


def shown(actor, value):
    return value if sees_people(actor) else mask(value)


# Keys of event payloads that carry a person (beside the shop's flagged keys).
PAYLOAD_KEYS = {*IDENTITY_KEYS, "device_id", "preferred_time", "note", "friend_email",
                "resolution", "text"}


def shown_payload(actor, document):
    """An event's payload as this actor may see it: personal values masked at any depth."""
    if sees_people(actor):
        return document
    keys = PAYLOAD_KEYS | {path.split(".", 1)[1]
                          for path in actor.organization.personal_fields or []}
    return masked_document(document, keys)


def masked_document(document, keys, hidden=False):
    """Every value under one of `keys` masked, however deep (a history's
    {"resolution": [before, after]} included)."""
    if isinstance(document, dict):
        return {key: masked_document(value, keys, hidden or key in keys)
                for key, value in document.items()}
    if isinstance(document, list):
        return [masked_document(item, keys, hidden) for item in document]
    return mask(document) if hidden else document


FLAGGABLE = re.compile(r"(responder|questionnaire)\.[A-Za-z0-9_.-]{1,64}")
# Order fields the typed columns copy, which a pseudonym would not fit (or not follow).
NOT_FLAGGABLE = {"questionnaire.transaction_date", "questionnaire.amount",
                 "questionnaire.store_id", "questionnaire.products"}
MAX_FLAGGED = 50


def clean_personal_fields(paths):
    """The shop's own personal metadata keys, checked: "responder.address", …"""
    if paths is None:
        raise Problems([("personal_fields", _("may not be null"))])
    wrong = [path for path in paths if not isinstance(path, str)
             or not FLAGGABLE.fullmatch(path) or path in NOT_FLAGGABLE]
    if wrong or len(paths) > MAX_FLAGGED:
        raise Problems([("personal_fields", _(
            "at most %(count)s metadata fields written as responder.KEY or "
            "questionnaire.KEY (not the order's date, amount, store or products)")
            % {"count": MAX_FLAGGED})])
    return sorted(set(paths))
