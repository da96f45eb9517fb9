"""The shop's contact budget: at most N campaigns per customer per period, across the
shop's campaigns (the rule: engine/budget.py; checked in campaigns/budget.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.campaigns import budget
from kairos.campaigns.forms import ContactBudgetForm, add_problems, budget_initial
from kairos.campaigns.models import Campaign
from kairos.errors import Problems

# Where a service's field name differs from the form's.
BUDGET_ALIASES = {"contact_budget.campaigns": "campaigns", "contact_budget.days": "period",
                  "contact_budget.hours": "period", "contact_budget.exempt_types":
                  "exempt_types", "contact_budget": "enabled"}


@member_required(Permission.VIEW_REPORTS)
def contact_budget(request):
    """GET shows the budget (read-only without MANAGE_CAMPAIGNS); POST saves it."""
    organization = request.actor.organization
    may_edit = request.actor.can(Permission.MANAGE_CAMPAIGNS)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ContactBudgetForm(data, initial=budget_initial(organization.contact_budget))
    if form.is_bound and form.is_valid() and save(form, organization):
        messages.success(request, _("Contact budget saved."))
        return redirect("campaigns:budget")
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    exempt = Campaign.objects.current().filter(organization=organization, budget_exempt=True)
    return render(request, "campaigns/budget.html", {
        "form": form, "may_edit": may_edit, "exempt_campaigns": exempt,
        "words": budget.describe(organization.contact_budget)})


def save(form, organization):
    try:
        budget.set_contact_budget(organization, form.budget())
    except Problems as problems:
        add_problems(form, problems.problems, BUDGET_ALIASES)
        return False
    return True
