from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kairos.accounts.config_version import Configuration, ConfigurationQuerySet
from kairos.accounts.models import Organization
from kairos.engine.rules import condition_count
from kairos.questionnaires.models import Questionnaire


class Segment(Configuration, models.Model):
    """A group of customers, defined by conditions on their questionnaire responses."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=120)
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("An emoji"))
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="segments",
        help_text=_("Only responses to this questionnaire; empty = any questionnaire"),
    )
    # A rule tree as kairos.engine.rules describes it: {"all": [...]} / {"any": [...]}.
    conditions = models.JSONField(_("conditions"), default=dict)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ConfigurationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def condition_count(self):
        return condition_count(self.conditions or {"all": []})

    @property
    def stage(self):
        return self.questionnaire.stage if self.questionnaire_id else None
