from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.dashboard.navigation import visible_items


def home(request):
    return redirect("dashboard:home")


def health(request):
    # For load balancers: answers 200 only when the database answers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@member_required()
def overview(request):
    if works_only_callbacks(request.actor):
        return redirect("callbacks:list")  # an Agent's home is their queue
    organization = request.actor.organization
    context = {
        "site_key": organization.site_keys.filter(active=True).order_by("id").first(),
        "sections": overview_sections(request.actor),
    }
    return render(request, "dashboard/overview.html", context)


def works_only_callbacks(actor):
    return actor.can(Permission.WORK_CALLBACKS) and not actor.can(Permission.VIEW_REPORTS)


def overview_sections(actor):
    """The cards on the overview page, each only for roles that may open it."""
    return [item for item in visible_items(actor) if item.url_name != "settings:organization"]
