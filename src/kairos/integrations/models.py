import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import Organization
from kairos.events.models import Event

SECRET_OVERLAP = datetime.timedelta(hours=24)  # a rotated secret still signs this long


class Subscription(models.Model):
    """A webhook: where a shop wants its events, signed with its secret."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="webhooks")
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Since when every attempt failed (None: the last one succeeded). Days of it disable.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.url

    def signing_secrets(self, now):
        """The current secret, and the previous one while its overlap lasts."""
        overlapping = (self.previous_secret and self.previous_secret_expires_at
                       and self.previous_secret_expires_at > now)
        return [self.secret, self.previous_secret] if overlapping else [self.secret]

    @property
    def secret_hint(self):
        return f"{self.secret[:10]}…"


class Delivery(models.Model):
    """One event (or a test message) on its way to one subscription, with its retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")  # None: a test message
    message_id = models.CharField(max_length=40)  # the webhook-id header
    event_type = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While a worker sends it: no other worker may claim it before then.
    leased_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subscription", "-created_at"]),
                   models.Index(fields=["organization", "status"])]

    def __str__(self):
        return f"{self.event_type} → {self.subscription_id} ({self.status})"

    @property
    def is_test(self):
        return self.event_id is None


class Attempt(models.Model):
    """One HTTP request of a delivery: what the receiver answered, and how fast."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_body = models.CharField(max_length=1000, blank=True)  # truncated
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self):
        return f"{self.delivery_id} at {self.attempted_at}: {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
