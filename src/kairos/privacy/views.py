"""The dashboard's privacy pages (Owners and Admins): the shop's retention with the log of
what was exported, erased and anonymised when, and one customer's data — found, exported
as JSON, erased after a confirmation that says what will go.

The customer's identity travels in POST bodies only, never in a URL: addresses end up in
access logs and browser history, which no erasure reaches.
"""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.errors import NotFound, Problems
from kairos.privacy.customers import stored_identities
from kairos.privacy.forms import CustomerForm, PrivacySettingsForm
from kairos.privacy.models import PrivacyLog
from kairos.privacy.services import erase, erasure_preview, export
from kairos.shop.services import update_shop

LOG_ROWS = 100
# The export's and the erasure's sections as people read them; a section without a
# label here (a model registered later) shows its own name.
KIND_LABELS = {
    "responses": gettext_lazy("responses"),
    "impressions": gettext_lazy("impressions (frequency-cap history)"),
    "actions": gettext_lazy("actions"),
    "callback_requests": gettext_lazy("callback requests"),
    "callback_attempts": gettext_lazy("call attempts"),
    "callback_comments": gettext_lazy("callback comments"),
    "callback_history": gettext_lazy("callback history entries"),
    "referrals_naming_you": gettext_lazy("referrals naming the customer"),
    "webhook_events": gettext_lazy("webhook events"),
    "webhook_attempts": gettext_lazy("webhook delivery answers"),
    "webhook_deliveries": gettext_lazy("webhook deliveries"),
}


def labelled(counts, keep_zero=False):
    """[(label, n), …] in a stable order, for pages and messages."""
    return [(KIND_LABELS.get(kind, kind), count) for kind, count in sorted(counts.items())
            if count or keep_zero]


@member_required(Permission.MANAGE_PERSONAL_DATA)
def privacy_settings(request):
    organization = request.actor.organization
    initial = {"retention_months": organization.retention_months,
               "personal_fields": "\n".join(organization.personal_fields or [])}
    form = PrivacySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_shop(organization, form.cleaned_data, request.actor)
        except Problems as problems:
            form.add_problems(problems)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("privacy:settings")
    entries = [(entry, labelled(entry.counts)) for entry in
               PrivacyLog.objects.filter(organization=organization)[:LOG_ROWS]]
    return render(request, "privacy/settings.html", {"form": form, "entries": entries})


@member_required(Permission.MANAGE_PERSONAL_DATA)
def customer_data(request):
    """GET: the search form. POST `step`: find (what is stored), export (the JSON file),
    confirm (what erasure would remove), erase."""
    form = CustomerForm(request.POST or None)
    context = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "privacy/customer.html", context)
    organization, identity = request.actor.organization, form.cleaned_data["identity"]
    step = request.POST.get("step", "find")
    try:
        if step == "export":
            return export_download(request, identity)
        if step == "erase":
            counts = erase(organization, identity, request.actor, via="dashboard")
            messages.success(request, _("The customer's data was erased: %(what)s.") % {
                "what": described(counts)})
            return redirect("privacy:customer")
        customer, counts = erasure_preview(organization, identity)
    except (NotFound, Problems) as refused:
        form.add_error("identity", refused.message if isinstance(refused, NotFound)
                       else refused.problems[0][1])
        return render(request, "privacy/customer.html", context, status=refused.status)
    context.update(found=True, confirming=step == "confirm", counts=labelled(counts),
                   identity=identity, identities=stored_identities(customer))
    return render(request, "privacy/customer.html", context)


def export_download(request, identity):
    document = export(request.actor.organization, identity, request.actor, via="dashboard")
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"customer-export-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def described(counts):
    return ", ".join(f"{count} {label}" for label, count in labelled(counts)) or _("nothing")
