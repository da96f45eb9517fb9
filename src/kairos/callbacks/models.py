from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import Organization
from kairos.campaigns.models import Action, Campaign


class CallbackRequest(models.Model):
    """A customer asked to be called back: the shop's team works these to resolution."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="callback_requests")
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="callback")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="callback_requests")
    response = models.ForeignKey("questionnaires.Response", on_delete=models.CASCADE,
                                 related_name="callback_requests")
    phone_number = models.CharField(_("phone number"), max_length=32)
    preferred_time = models.CharField(_("preferred time"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    consent_text = models.TextField(_("consent text"))
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NEW)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("assignee"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The closing-the-loop clock: when the shop's SLA wants a first contact, when the first
    # call attempt was logged, when the request was resolved (cleared on reopening).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "created_at"])]

    def __str__(self):
        return f"{self.phone_number} ({self.get_status_display()})"


OPEN_STATUSES = (CallbackRequest.Status.NEW, CallbackRequest.Status.IN_PROGRESS)


def open_callback_count(organization):
    """The shop's callback requests still to be worked: one indexed count, written as SQL
    because it runs on the hot path, where building an ORM query costs more than it does
    (bench_responses.py --with-limits)."""
    with connection.cursor() as cursor:
        cursor.execute(OPEN_COUNT, [organization.pk, *OPEN_STATUSES])
        return cursor.fetchone()[0]


OPEN_COUNT = (f"SELECT COUNT(*) FROM {CallbackRequest._meta.db_table} "
              f"WHERE organization_id = %s AND status IN (%s, %s)")
