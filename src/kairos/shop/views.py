"""Settings → Callbacks: the shop's SLA (target and business hours) and its own callback
statuses, in the dashboard. The same services as /api/v1/shop and
/api/v1/callback-statuses do the checking and saving."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.callbacks import services as callbacks
from kairos.callbacks.models import CallbackStatus
from kairos.errors import KairosError, Problems
from kairos.shop.forms import SlaForm, StatusForm
from kairos.shop.services import update_shop

SETTINGS = Permission.MANAGE_SETTINGS
INVALID = 422


@member_required(SETTINGS)
def callback_settings(request):
    """The page, and the SLA form's Save."""
    organization = request.actor.organization
    form = SlaForm(request.POST or None, sla=organization.sla)
    if request.method == "POST" and form.is_valid():
        try:
            update_shop(organization, {"sla": form.sla()}, request.actor)
        except Problems as problems:
            for field, message in problems.problems:
                form.add_error(form.field_of(field), message)
        else:
            messages.success(request, _("The callbacks' SLA is saved. New requests are due "
                                        "by it."))
            return redirect("shop:callbacks")
    status = INVALID if form.errors else 200
    return render_page(request, sla_form=form, status=status)


def render_page(request, sla_form=None, new_status=None, failed_status=None, status=200):
    """`failed_status`: (key, bound form) of a status whose change was refused."""
    organization = request.actor.organization
    own = CallbackStatus.objects.filter(organization=organization)
    edits = [(status, failed_status[1] if failed_status and failed_status[0] == status.key
              else StatusForm(adding=False, prefix=status.key, initial={
                  "title": status.title, "colour": status.colour,
                  "counts_as_open": status.counts_as_open, "position": status.position}))
             for status in own]
    context = {
        "sla_form": sla_form or SlaForm(sla=organization.sla),
        "system_statuses": [s for s in callbacks.statuses(organization) if s["system"]],
        "status_edits": edits, "new_status": new_status or StatusForm(prefix="new"),
    }
    return render(request, "shop/callbacks.html", context, status=status)


@require_POST
@member_required(SETTINGS)
def add_status(request):
    form = StatusForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            callbacks.create_status(request.actor.organization, **form.cleaned_data)
        except KairosError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None,
                           refusal.message)
        else:
            messages.success(request, _("Status “%(title)s” added.")
                             % {"title": form.cleaned_data["title"]})
            return redirect("shop:callbacks")
    return render_page(request, new_status=form, status=INVALID)


@require_POST
@member_required(SETTINGS)
def change_status(request, key):
    if "delete" in request.POST:
        return delete_status(request, key)
    form = StatusForm(request.POST, adding=False, prefix=key)
    if form.is_valid():
        try:
            callbacks.update_status(request.actor, key, **form.cleaned_data)
        except KairosError as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(request, _("Status saved."))
        return redirect("shop:callbacks")
    return render_page(request, failed_status=(key, form), status=INVALID)


def delete_status(request, key):
    try:
        callbacks.delete_status(request.actor.organization, key)
    except KairosError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Status deleted."))
    return redirect("shop:callbacks")
