"""Questionnaires, their frozen versions, and the responses customers submit.

A response always points at the *version* of the questionnaire it answered, so editing
a questionnaire never changes the meaning of what was already stored.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.config_version import Configuration, ConfigurationQuerySet
from kairos.accounts.models import Organization


class Stage(models.TextChoices):
    CHECKOUT = "checkout", _("Checkout")
    AFTER_SALES = "after_sales", _("After sales")


class QuestionType(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    RATING = "rating", _("Rating (1–10)")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Free text")


class Questionnaire(Configuration, models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="questionnaires"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    title_en = models.CharField(max_length=200, blank=True)
    title_el = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "stage"], name="one_per_stage")
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_stage_display()}"

    def current_version(self):
        return self.versions.order_by("-number").first()


class Question(models.Model):
    """The editable question; what customers see is the latest published version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(max_length=50, help_text=_("Stable name used by segments, e.g. nps"))
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    label_en = models.CharField(max_length=300)
    label_el = models.CharField(max_length=300)
    required = models.BooleanField(default=False)
    multiple = models.BooleanField(default=False, help_text=_("Choice: several answers allowed"))
    # [{"key": "price", "label_en": "Price", "label_el": "Τιμή"}, ...]
    options = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="unique_question_key")
        ]

    def __str__(self):
        return self.key

    def as_schema(self):
        return {
            "key": self.key, "type": self.type, "required": self.required,
            "multiple": self.multiple, "label": {"en": self.label_en, "el": self.label_el},
            "options": [
                {"key": o["key"], "label": {"en": o["label_en"], "el": o["label_el"]}}
                for o in self.options
            ],
        }


class QuestionnaireVersion(Configuration, models.Model):
    """An immutable snapshot of a questionnaire's questions, published on every change."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.JSONField(default=dict)  # {"en": ..., "el": ...}
    questions = models.JSONField()  # [Question.as_schema(), ...]
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConfigurationQuerySet.as_manager()
    organization_lookup = "questionnaire__organization_id"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_version")
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    def configuration_owner_id(self):
        return (Questionnaire.objects.filter(pk=self.questionnaire_id)
                .values_list("organization_id", flat=True).first())


class Response(models.Model):
    """A completed questionnaire with its metadata.

    Answers and metadata are kept whole as JSON; the fields segments filter on most are
    also copied into typed, indexed columns so counting a segment over a million rows is
    a scan of narrow columns, not of JSON documents.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Every index is a page written per response on the hot path: the composite
    # indexes below lead with the organisation, so the foreign keys need none of their own.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses",
        db_index=False,
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    locale = models.CharField(max_length=2, default="el")
    submitted_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, default="widget")  # widget | api | import
    device_id = models.CharField(max_length=100, blank=True)
    answers = models.JSONField(default=dict)
    questionnaire_metadata = models.JSONField(default=dict)
    responder_metadata = models.JSONField(default=dict)

    # Typed copies of the hot fields (see the class docstring).
    nps = models.SmallIntegerField(null=True, blank=True)
    rating = models.SmallIntegerField(null=True, blank=True)
    store_id = models.CharField(max_length=100, blank=True, null=True)
    amount = models.FloatField(null=True, blank=True)
    transaction_id = models.CharField(max_length=100, blank=True, null=True)
    transaction_date = models.DateField(null=True, blank=True)
    email = models.CharField(max_length=254, blank=True, null=True)
    phone_number = models.CharField(max_length=32, blank=True, null=True)
    customer_id = models.CharField(max_length=100, blank=True, null=True)
    # The best identity we have (customer id, email, phone, else device): one customer.
    responder_key = models.CharField(max_length=260, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, null=True)

    class Meta:
        indexes = [
            # Covering what the figures read (scores, stage, store): the responses list's
            # and Home's figures come from the index alone, never from the rows with their
            # JSON documents. Still one index: it replaced (organization, submitted_at).
            models.Index(fields=["organization", "submitted_at", "nps", "rating", "stage",
                                 "store_id"], name="response_submitted"),
            # Covering what closing the loop reads of a caller's later responses.
            models.Index(fields=["organization", "responder_key", "submitted_at", "nps"],
                         name="response_responder"),
            # Identities are looked up only by value, so rows without one stay out.
            models.Index(fields=["organization", "email"], name="response_email",
                         condition=models.Q(email__isnull=False)),
            models.Index(fields=["organization", "phone_number"], name="response_phone",
                         condition=models.Q(phone_number__isnull=False)),
            models.Index(fields=["organization", "customer_id"], name="response_customer",
                         condition=models.Q(customer_id__isnull=False)),
            # The store filter's newest page, its count, and the store dropdown's skip scan
            # (reports.store_ids) read this instead of every response.
            models.Index(fields=["organization", "store_id", "submitted_at", "nps", "rating"],
                         name="response_store", condition=models.Q(store_id__isnull=False)),
            # The responses list's search by order number (reports.search).
            models.Index(fields=["organization", "transaction_id"], name="response_transaction",
                         condition=models.Q(transaction_id__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"],
                                    condition=models.Q(idempotency_key__isnull=False),
                                    name="one_response_per_idempotency_key"),
        ]

    def __str__(self):
        return f"{self.stage} response {self.id}"


class MetadataField(Configuration, models.Model):
    """A metadata field a shop sends, with its type: feeds the segment builder's picker."""

    class Scope(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Order")
        RESPONDER = "responder", _("Customer")

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        BOOLEAN = "boolean", _("Yes/no")
        LIST = "list", _("List")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="metadata_fields"
    )
    scope = models.CharField(max_length=20, choices=Scope.choices)
    key = models.CharField(max_length=64)
    type = models.CharField(max_length=10, choices=Type.choices)
    first_seen_at = models.DateTimeField(default=timezone.now)

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scope", "key"], name="unique_metadata_field"
            )
        ]

    def __str__(self):
        return f"{self.scope}.{self.key} ({self.type})"

    @property
    def path(self):
        return f"{self.scope}.{self.key}"


# ---- the daily rollup: exact counts per shop day, so reports over long periods sum a
# few rows a day instead of reading every response (questionnaires/rollup.py) ----------

class DailyResponses(models.Model):
    """The counts of one shop's responses of one day (in the shop's time zone), stage and
    store: the additive figures of rollup.COUNTS. Written only for sealed days."""

    # Keyed by the shop first, like every large table: a shop's rows stay together
    # (and one shop per shard stays possible).
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False,
                                     related_name="+")
    day = models.DateField()
    stage = models.CharField(max_length=20)
    store_id = models.CharField(max_length=100)  # "" for responses without a store
    responses = models.IntegerField()
    promoters = models.IntegerField()
    passives = models.IntegerField()
    detractors = models.IntegerField()
    rated = models.IntegerField()
    rating_sum = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["organization", "day", "stage", "store_id"], name="daily_responses_key")]

    def __str__(self):
        return f"{self.day} {self.stage} {self.store_id}: {self.responses}"


class RollupWatermark(models.Model):
    """How far a shop's rollup reaches: every day before `sealed_until` is in it, counted
    in `time_zone` (a shop that changes its zone has no valid rollup until resealed).
    Its row is the lock that sealing and resealing take (select_for_update)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        primary_key=True, related_name="+")
    time_zone = models.CharField(max_length=64)
    sealed_until = models.DateField(null=True)  # None: nothing sealed yet

    def __str__(self):
        return f"sealed until {self.sealed_until} ({self.time_zone})"
