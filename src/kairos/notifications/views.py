from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.membership import current_membership, member_required
from kairos.accounts.roles import Permission
from kairos.notifications.forms import PreferencesForm, WatchForm
from kairos.notifications.models import NotificationPreferences
from kairos.notifications.periodic import DIGEST_HOUR
from kairos.notifications.watching import set_watching, watchable_campaigns

WORK = Permission.WORK_CALLBACKS


@member_required(WORK)
def preferences(request):
    """The member's own e-mail settings, in this shop, and the campaigns they watch."""
    membership = current_membership(request)
    stored = NotificationPreferences.objects.filter(membership=membership).first()
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, instance=stored or NotificationPreferences())
    if form.is_bound and form.is_valid():
        # Two tabs saving at once must not both create the row.
        NotificationPreferences.objects.update_or_create(membership=membership,
                                                         defaults=form.cleaned_data)
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "form": form, "digest_hour": f"{DIGEST_HOUR:02d}:00",
        "time_zone": membership.organization.time_zone})


@require_POST
@member_required(WORK)
def watch(request, campaign_id):
    """Watch a campaign (watch=on) or stop (watch absent): explicit, so a double post
    leaves it as asked."""
    campaign = get_object_or_404(watchable_campaigns(request.actor.organization),
                                 pk=campaign_id)
    form = WatchForm(request.POST)
    watching = form.is_valid() and form.cleaned_data["watch"]  # a checkbox: never invalid
    set_watching(current_membership(request), campaign, watching)
    if watching:
        messages.success(request, _("You now hear of each new request of “%(title)s”.")
                         % {"title": campaign.title})
    else:
        messages.success(request, _("You no longer watch “%(title)s”.")
                         % {"title": campaign.title})
    return redirect(back(request))


def back(request):
    """Back where the button was pressed, never off the site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("notifications:preferences")
