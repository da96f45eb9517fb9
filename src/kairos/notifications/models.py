from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import Membership
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Campaign
from kairos.languages import native_choices


class CampaignWatch(models.Model):
    """A member watches a campaign: its new callback requests are e-mailed to its watchers
    (and, while nobody watches it, to everyone who works callbacks)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="watches")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "campaign"],
                                               name="one_watch_per_member_and_campaign")]

    def __str__(self):
        return f"{self.membership} watches {self.campaign}"


class NotificationPreferences(models.Model):
    """What one member of one shop wants by e-mail. No row: the defaults."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE,
                                      related_name="notification_preferences")
    new_requests = models.BooleanField(_("E-mail me each new callback request"), default=True)
    breach_warnings = models.BooleanField(
        _("E-mail me when a callback request is about to miss its SLA"), default=True)
    daily_digest = models.BooleanField(
        _("E-mail me a daily digest of the open callback requests"), default=False)
    language = models.CharField(_("Language of these e-mails"), max_length=2, blank=True,
                                choices=native_choices,
                                help_text=_("Empty: the shop's language."))
    # The shop's date of the last digest sent (or found empty): one a day, whichever
    # worker gets there first (a conditional UPDATE claims the day).
    digest_sent_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.membership}"


class BreachWarning(models.Model):
    """A callback request whose members were warned that it is about to miss its SLA: one
    row per request and due time, so each is warned once, however many workers run."""

    callback = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE,
                                 related_name="+")
    due_at = models.DateTimeField()
    warned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["callback", "due_at"],
                                               name="one_breach_warning_per_due_time")]

    def __str__(self):
        return f"{self.callback_id} due {self.due_at}"
