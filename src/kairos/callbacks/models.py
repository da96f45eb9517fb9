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
        CALL_BACK_LATER = "call_back_later", _("Call back later")
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
    # A system status (Status) or the key of one of the shop's own (CallbackStatus);
    # `is_open` follows it, so the open count is one indexed count (open_callback_count).
    status = models.CharField(_("status"), max_length=40, default=Status.NEW)
    is_open = models.BooleanField(_("open"), default=True)
    # The outcome of the latest call attempt (each is a CallbackAttempt).
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    # What was done about it, in the agent's words (set on resolving; kept on reopening).
    resolution = models.TextField(_("resolution"), blank=True)
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
        indexes = [models.Index(fields=["organization", "status", "created_at"]),
                   models.Index(fields=["organization", "is_open"])]

    def __str__(self):
        return f"{self.phone_number} ({self.get_status_display()})"

    def get_status_display(self):
        """The status' title: a system one in the reader's language, else the shop's."""
        if self.status in self.Status.values:
            return self.Status(self.status).label
        custom = CallbackStatus.objects.filter(organization_id=self.organization_id,
                                               key=self.status).first()
        return custom.title if custom else self.status

    def overdue(self, now=None):
        """Open and past the time the shop's SLA wants it handled."""
        return bool(self.is_open and self.due_at and (now or timezone.now()) > self.due_at)


OPEN_STATUSES = (CallbackRequest.Status.NEW, CallbackRequest.Status.IN_PROGRESS)


class CallbackStatus(models.Model):
    """A status the shop adds to the system ones (new, in progress, resolved), which
    always exist, are not stored here and cannot be changed or deleted."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="callback_statuses")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, default="#6b7280",
                              help_text=_("#rrggbb"))
    counts_as_open = models.BooleanField(_("counts as open"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "key"],
                                               name="one_callback_status_per_key")]

    def __str__(self):
        return self.title


class CallbackAttempt(models.Model):
    """One call to the customer: who called, when, and how it went."""

    callback = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE,
                                 related_name="attempts")
    outcome = models.CharField(_("outcome"), max_length=20,
                               choices=CallbackRequest.Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=254, blank=True)  # e-mail or API key name
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.author_label})"


class CallbackComment(models.Model):
    """The team's thread on a request."""

    callback = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE,
                                 related_name="comments")
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]


class CallbackHistory(models.Model):
    """Who did what to a request and when; each row can put the request back as it was
    (`changes`: {field: [before, after]}), which is what undo does."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        ATTEMPT = "attempt", _("Call attempt")
        COMMENT = "comment", _("Comment")
        STATUS = "status", _("Status changed")
        OUTCOME = "outcome", _("Outcome changed")
        RESOLVED = "resolved", _("Resolved")
        RESOLUTION = "resolution", _("Resolution changed")
        REOPENED = "reopened", _("Reopened")
        UNDONE = "undone", _("Undone")

    callback = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE,
                                 related_name="history")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    changes = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    # What an attempt or comment row added (undo removes it), and the row an undo undid.
    attempt = models.ForeignKey(CallbackAttempt, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(CallbackComment, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    undone = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.actor_label})"


def open_callback_count(organization):
    """The shop's callback requests still to be worked: one indexed count, written as SQL
    because it runs on the hot path, where building an ORM query costs more than it does
    (bench_responses.py --with-limits)."""
    with connection.cursor() as cursor:
        cursor.execute(OPEN_COUNT, [organization.pk, True])
        return cursor.fetchone()[0]


OPEN_COUNT = (f"SELECT COUNT(*) FROM {CallbackRequest._meta.db_table} "
              f"WHERE organization_id = %s AND is_open = %s")
