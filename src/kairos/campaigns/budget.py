"""The shop's contact budget: checked, stored on the shop, compiled for the engine and
said in plain words (the rule itself: engine/budget.py).

Stored as {"campaigns": N, "days": D, "hours": H, "exempt_types": [type ids]} or None.
Campaigns are exempt by type (here) or one by one (Campaign.budget_exempt).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kairos.campaigns.models import Campaign
from kairos.campaigns.types import CAMPAIGN_TYPES
from kairos.engine.budget import MAX_CAMPAIGNS, MAX_DAYS, ContactBudget
from kairos.errors import Problems

FIELDS = ("campaigns", "days", "hours", "exempt_types")
LIMITS = {"campaigns": (1, MAX_CAMPAIGNS), "days": (0, MAX_DAYS), "hours": (0, MAX_DAYS * 24)}


def clean_contact_budget(value):
    """The budget as stored (None: no budget); raises Problems naming each field."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Problems([("contact_budget", _("must be an object or null (no budget)"))])
    problems = [(f"contact_budget.{name}", _("unknown field"))
                for name in sorted(set(value) - set(FIELDS), key=str)[:5]]
    numbers = {name: whole_number(value, name, problems) for name in LIMITS}
    exempt = exempt_types(value.get("exempt_types", []), problems)
    if not problems and bool(numbers["days"]) == bool(numbers["hours"]):
        problems.append(("contact_budget.days", _("give the period in days or in hours "
                                                  "(one of them, not both)")))
    if problems:
        raise Problems(problems)
    return {**numbers, "exempt_types": exempt}


def whole_number(value, name, problems):
    low, high = LIMITS[name]
    number = value.get(name, 0)
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        problems.append((f"contact_budget.{name}", _("must be a whole number from %(low)s to "
                                                     "%(high)s") % {"low": low, "high": high}))
        return 0
    return number


def exempt_types(types, problems):
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        problems.append(("contact_budget.exempt_types", _("must be a list of campaign types")))
        return []
    unknown = [t for t in types if t not in CAMPAIGN_TYPES]
    if unknown:
        problems.append(("contact_budget.exempt_types",
                         _("unknown campaign type %(type)s; one of %(types)s")
                         % {"type": repr(unknown[0][:32]), "types": ", ".join(CAMPAIGN_TYPES)}))
    return sorted(set(types))


def set_contact_budget(organization, value):
    """Check and store the shop's budget (the shop's version moves: every process
    decides with it from its next response)."""
    organization.contact_budget = clean_contact_budget(value)
    organization.save(update_fields=["contact_budget"])
    return organization


def engine_budget(organization):
    """The shop's budget for the engine, with the ids of every campaign it exempts
    (archived ones too: their past showings must not count either)."""
    stored = organization.contact_budget
    if not stored:
        return None
    exempt = Campaign.objects.filter(
        Q(budget_exempt=True) | Q(type__in=stored.get("exempt_types", [])),
        organization=organization)
    return ContactBudget(stored["campaigns"], stored["days"], stored["hours"],
                         exempt_ids=frozenset(exempt.values_list("pk", flat=True)))


def is_exempt(campaign):
    stored = campaign.organization.contact_budget or {}
    return campaign.budget_exempt or campaign.type in stored.get("exempt_types", [])


def period_words(stored):
    if stored["days"]:
        return ngettext("today (until midnight, shop time)",
                        "%(days)s calendar days (today and the %(before)s days before, "
                        "from midnight shop time)", stored["days"]) % {
            "days": stored["days"], "before": stored["days"] - 1}
    return ngettext("the last hour", "the last %(hours)s hours",
                    stored["hours"]) % {"hours": stored["hours"]}


def describe(stored):
    """The budget in plain words, for the campaign page and the budget page."""
    if not stored:
        return _("No contact budget: only each campaign's own frequency cap limits how "
                 "often a customer sees campaigns.")
    return ngettext(
        "At most %(n)s campaign per customer in %(period)s, all campaigns together.",
        "At most %(n)s campaigns per customer in %(period)s, all campaigns together.",
        stored["campaigns"]) % {"n": stored["campaigns"], "period": period_words(stored)}
