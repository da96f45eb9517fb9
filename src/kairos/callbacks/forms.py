"""The callbacks dashboard's forms: the queue's filters and the buttons that work a request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kairos.accounts.models import Membership
from kairos.accounts.roles import GRANTS, Permission
from kairos.boundary.forms import BoundaryForm
from kairos.callbacks import queue
from kairos.callbacks.models import CallbackRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILTER_ORDER = ["q", "status", "assignee", "campaign", "store", "from", "to", "overdue"]


def workers(organization):
    """The members who may work callbacks, by e-mail: whom a request can be assigned to."""
    roles = [role for role, granted in GRANTS.items() if Permission.WORK_CALLBACKS in granted]
    return list(Membership.objects.filter(organization=organization, role__in=roles)
                .select_related("user").order_by("user__email"))


class QueueFilterForm(BoundaryForm, forms.Form):
    """The queue's GET filters (kairos.callbacks.queue.QueueFilters); dates are days in
    the shop's time zone. Empty means: the open requests, anyone's, any time."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": _("Phone, name, e-mail or order id"), "type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int,
                                      empty_value=None)
    store = forms.ChoiceField(label=_("Store"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data, *, organization, campaigns, stores, members):
        super().__init__(data)
        # "from" is a Python keyword: both ends of the range are added here.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
        self.order_fields(FILTER_ORDER)
        self.fields["status"].choices = [
            ("", _("Open")), *[(key, label) for key, label, _open in
                               queue.statuses(organization)], (queue.ANY, _("Any status"))]
        self.fields["assignee"].choices = [
            ("", _("Anyone")), (queue.ME, _("Mine")), (queue.NOBODY, _("Unassigned")),
            *[(m.user.email, m.user.email) for m in members]]
        self.fields["campaign"].choices = [("", _("All campaigns")),
                                           *[(c.pk, c.title) for c in campaigns]]
        self.fields["store"].choices = [("", _("All stores")), *[(s, s) for s in stores]]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return cleaned

    def queue_filters(self):
        """The valid filters as the queue reads them (call after is_valid())."""
        data = self.cleaned_data
        return queue.QueueFilters(
            status=data["status"] or queue.OPEN, campaign=data["campaign"],
            store=data["store"], assignee=data["assignee"], date_from=data["from"],
            date_to=data["to"], overdue=data["overdue"], q=data["q"])


# ---- working a request: one small form per button ---------------------------------------

TEXT_LIMIT = 5000  # as the services keep it (callbacks/services.py MAX_TEXT)


class AssignForm(BoundaryForm, forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            (queue.ME, _("Me")), *[(m.user.email, m.user.email) for m in members],
            ("", _("Nobody (unassign)"))]


class AttemptForm(BoundaryForm, forms.Form):
    outcome = forms.ChoiceField(label=_("How did the call go?"), widget=forms.RadioSelect,
                                choices=CallbackRequest.Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(BoundaryForm, forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(BoundaryForm, forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, e.g. “refund agreed, new parcel sent”."))


class StatusForm(BoundaryForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(key, title) for key, title, _open
                                         in queue.statuses(organization)]
