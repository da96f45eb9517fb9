import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.config_version import Configuration, ConfigurationQuerySet
from kairos.accounts.models import MAX_RETENTION_MONTHS, Organization
from kairos.campaigns.types import CAMPAIGN_TYPES, action_choices, type_choices
from kairos.questionnaires.models import Response
from kairos.segments.models import Segment


class CampaignQuerySet(ConfigurationQuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)


class Campaign(Configuration, models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="campaigns"
    )
    type = models.CharField(_("type"), max_length=32, choices=type_choices)
    title = models.CharField(_("title"), max_length=200)
    segments = models.ManyToManyField(Segment, related_name="campaigns",
                                      verbose_name=_("segments"))
    active = models.BooleanField(_("active"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True,
                                help_text=_("Empty: runs without time limit"))
    frequency_cap_minutes = models.PositiveIntegerField(
        _("frequency cap"), default=0, help_text=_("0: no cap")
    )
    priority = models.PositiveIntegerField(_("priority"), default=0,
                                           help_text=_("0 is the highest"))
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 help_text=_("Empty: every language"))
    content = models.JSONField(_("content"), default=dict, blank=True)
    holdout_percent = models.PositiveSmallIntegerField(
        _("holdout"), default=0, help_text=_("0: no control group"))
    # Callback campaigns only: the call centre's capacity (engine/business_hours.py).
    max_open_callbacks = models.PositiveIntegerField(
        _("maximum open callback requests"), null=True, blank=True,
        help_text=_("Empty: no limit"))
    callback_hours = models.JSONField(_("callback hours"), null=True, blank=True,
                                      help_text=_("Empty: always"))
    budget_exempt = models.BooleanField(_("exempt from the contact budget"), default=False)
    # What this campaign collected (impressions, actions, callback requests) is
    # pseudonymised after this many months; None: the shop's retention (kairos/privacy).
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_("Empty: the shop's retention"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "created_at", "id"]
        indexes = [models.Index(fields=["organization", "active"])]

    def __str__(self):
        return self.title

    @property
    def campaign_type(self):
        return CAMPAIGN_TYPES[self.type]

    @property
    def frequency_cap(self):
        return datetime.timedelta(minutes=self.frequency_cap_minutes)


class Impression(models.Model):
    """A campaign shown to a customer. Carries their identities for frequency caps.

    A *control* impression records what a customer held out of the campaign (its
    holdout group) would have been shown: nothing was shown, but caps and the contact
    budget count it as they would the real one, and every report tells the two apart.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Written on the hot path: only the indexes the frequency cap and reports read.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="impressions",
                                 db_index=False)
    response = models.OneToOneField(Response, on_delete=models.CASCADE,
                                    related_name="impression")
    shown_at = models.DateTimeField(default=timezone.now)
    locale = models.CharField(max_length=2)
    device_id = models.CharField(max_length=100, blank=True, null=True)
    email = models.CharField(max_length=254, blank=True, null=True)
    phone_number = models.CharField(max_length=32, blank=True, null=True)
    customer_id = models.CharField(max_length=100, blank=True, null=True)
    coupon_code = models.CharField(max_length=100, blank=True)
    control = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "device_id"], name="impression_device",
                         condition=models.Q(device_id__isnull=False)),
            models.Index(fields=["organization", "email"], name="impression_email",
                         condition=models.Q(email__isnull=False)),
            models.Index(fields=["organization", "phone_number"], name="impression_phone",
                         condition=models.Q(phone_number__isnull=False)),
            models.Index(fields=["organization", "customer_id"], name="impression_customer",
                         condition=models.Q(customer_id__isnull=False)),
            # With `control` the reports count a campaign's impressions from this index
            # alone (reporting.campaign_figures).
            models.Index(fields=["campaign", "shown_at", "control"],
                         name="impression_campaign_time"),
            # The few control impressions: which campaigns ever held customers out
            # (lift.with_holdout) without reading every impression.
            models.Index(fields=["campaign"], name="impression_control",
                         condition=models.Q(control=True)),
        ]

    def __str__(self):
        return f"{self.campaign} → {self.response_id}"


class Action(models.Model):
    """What the customer did with a campaign: a callback request, a click, a referral…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    impression = models.ForeignKey(Impression, on_delete=models.CASCADE,
                                   related_name="actions")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    type = models.CharField(max_length=20, choices=action_choices)
    data = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # The widget retries; the same submission must never be stored twice.
            models.UniqueConstraint(fields=["impression", "idempotency_key"],
                                    name="one_action_per_idempotency_key"),
            # An action of a kind counts once per impression (a click included), so
            # engagement never passes 100% and cannot be inflated with the public key.
            models.UniqueConstraint(fields=["impression", "type"],
                                    name="one_action_of_a_kind_per_impression"),
        ]
        indexes = [models.Index(fields=["campaign", "created_at", "type"],
                                name="action_campaign_time")]

    def __str__(self):
        return f"{self.type} on {self.impression_id}"


class CouponCode(models.Model):
    """One code of a campaign's imported pool, handed to at most one impression."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="coupons")
    code = models.CharField(max_length=100)
    impression = models.OneToOneField(Impression, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "code"],
                                               name="unique_coupon_code")]

    def __str__(self):
        return self.code


class AuditEntry(models.Model):
    """Who changed what in a campaign, and when."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(max_length=20, default="dashboard")  # dashboard | api
    action = models.CharField(max_length=20)  # created | changed | archived | duplicated
    changes = models.JSONField(default=dict, blank=True)  # field -> [before, after]
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.campaign_id} at {self.at}"


class ExposureFact(models.Model):
    """A customer's first exposure to a campaign with a holdout and what the lift asks of
    it (lift.py), as of the last time the facts were kept (lift_facts.py): My campaigns
    and the comparison count these instead of looking every customer up again."""

    impression = models.OneToOneField(Impression, on_delete=models.CASCADE, primary_key=True,
                                      related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, db_index=False,
                                     related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, db_index=False,
                                 related_name="+")
    shown_at = models.DateTimeField()
    control = models.BooleanField()
    next_nps = models.SmallIntegerField(null=True)  # the customer's next NPS answer
    reordered_within = models.SmallIntegerField(null=True)  # the shortest of lift.WINDOWS
    requested = models.BooleanField()  # asked this campaign to be called back
    resolved = models.BooleanField()  # ... and was resolved

    class Meta:
        # Every column the lift counts: the comparison's grouped count reads this index
        # alone (lift.kept_arms_of; 240 → 130 ms at a million responses on SQLite).
        indexes = [models.Index(fields=["organization", "campaign", "shown_at", "control",
                                        "next_nps", "reordered_within", "requested",
                                        "resolved"], name="exposure_fact_counted")]

    def __str__(self):
        return f"first exposure {self.impression_id} to campaign {self.campaign_id}"


class ExposureFactsKept(models.Model):
    """When a shop's exposure facts were last kept: the figures they give are as of then."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        primary_key=True, related_name="+")
    kept_at = models.DateTimeField()

    def __str__(self):
        return f"exposure facts of shop {self.organization_id} kept at {self.kept_at}"
