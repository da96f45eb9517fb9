from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import Organization


class PrivacyLog(models.Model):
    """One export, erasure or retention run: who, when, what kind and how many rows.

    Never what was exported or erased, nor whose: the log of an erasure must not become
    the copy of the data it erased.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")
        RETENTION = "retention", _("Retention")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="privacy_log")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    # Who: a user's e-mail, "API key sk_abc…", or "kairos retention" / "worker".
    actor = models.CharField(max_length=254, blank=True)
    via = models.CharField(max_length=20)  # dashboard | api | command | worker
    counts = models.JSONField(default=dict)  # {"responses": 3, "impressions": 2, …}
    # Retention: personal data before this moment was pseudonymised.
    cutoff = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"])]

    def __str__(self):
        return f"{self.kind} at {self.at}"

    @property
    def total(self):
        return sum(self.counts.values())
