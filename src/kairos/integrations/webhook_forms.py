from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kairos.boundary.forms import BoundaryForm
from kairos.events.catalogue import EVENT_TYPES, PUBLIC_TYPES


class WebhookForm(BoundaryForm, forms.Form):
    url = forms.CharField(label=_("URL"), max_length=2000,
                          help_text=_("Kairos POSTs each event to this address, signed."))
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple,
        choices=[(name, format_lazy("{} — {}", name, EVENT_TYPES[name].description))
                 for name in PUBLIC_TYPES])
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def add_problems(self, problems):
        """The service's refusals, shown beside their fields."""
        for field, message in problems.problems:
            self.add_error(field if field in self.fields else None, message)
