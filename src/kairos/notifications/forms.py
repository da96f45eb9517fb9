from django import forms
from django.utils.translation import gettext_lazy as _

from kairos.boundary.forms import BoundaryForm
from kairos.languages import native_choices
from kairos.notifications.models import NotificationPreferences


class PreferencesForm(BoundaryForm, forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = ["new_requests", "breach_warnings", "daily_digest", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The shop's language")), *native_choices()]


class WatchForm(BoundaryForm, forms.Form):
    watch = forms.BooleanField(required=False)
