"""The callbacks list: every callback request of the shop, newest first, and its status.

The full inbox (assignee, outcomes, comments, export) builds on this page later.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.boundary.forms import BoundaryForm
from kairos.callbacks.models import CallbackRequest
from kairos.callbacks.services import update_callback
from kairos.campaigns.types.callback_request import TIME_WINDOWS

CALLBACKS_PER_PAGE = 50
STATUS_BADGES = {"new": "warn", "in_progress": "info", "resolved": "ok"}


class CallbackFilterForm(BoundaryForm, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[("", gettext_lazy("Any status")), *CallbackRequest.Status.choices])


@dataclass(frozen=True)
class CallbackRow:
    callback: CallbackRequest
    preferred_time: str
    response_url: str

    @property
    def badge(self):
        return STATUS_BADGES.get(self.callback.status, "")


def time_window_label(key):
    """“morning” as the customer saw it, in the dashboard's language; other text as is."""
    language = (get_language() or "en").split("-")[0]
    labels = TIME_WINDOWS.get(key)
    return labels.get(language, labels["en"]) if labels else key


@member_required(Permission.WORK_CALLBACKS)
def callback_list(request):
    filter_form = CallbackFilterForm(request.GET)
    callbacks = (CallbackRequest.objects.filter(organization=request.actor.organization)
                 .select_related("campaign").order_by("-created_at", "-id"))
    if filter_form.is_valid() and filter_form.cleaned_data["status"]:
        callbacks = callbacks.filter(status=filter_form.cleaned_data["status"])
    page = Paginator(callbacks, CALLBACKS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter_form": filter_form, "page": page, "statuses": CallbackRequest.Status.choices,
        "rows": [CallbackRow(c, time_window_label(c.preferred_time),
                             reverse("questionnaires:response", args=[c.response_id]))
                 for c in page],
    }
    return render(request, "callbacks/list.html", context)


@require_POST
@member_required(Permission.WORK_CALLBACKS)
def callback_status(request, pk):
    callback = get_object_or_404(CallbackRequest, pk=pk,
                                 organization=request.actor.organization)
    status = request.POST.get("status", "")
    if status not in CallbackRequest.Status.values:
        messages.error(request, _("Choose one of the statuses in the list."))
    elif status != callback.status:
        update_callback(callback, status=status)
        messages.success(request, _("%(phone)s is now “%(status)s”.") % {
            "phone": callback.phone_number, "status": callback.get_status_display()})
    return redirect(back_to_list(request))


def back_to_list(request):
    """Back to the page and filters the agent came from, never off the site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("callbacks:list")
