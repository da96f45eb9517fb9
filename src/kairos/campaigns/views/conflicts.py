"""The conflict check as the dashboard shows it: on a campaign's page and, live, on the
create form (one template: campaigns/conflict_check.html)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.accounts.shop_time import shop_today
from kairos.campaigns import insights, services

CONFLICT_KINDS = {
    "never_wins": (gettext_lazy("can never win"), "danger"),
    "outranked_always": (gettext_lazy("took all its customers"), "danger"),
    "tie": (gettext_lazy("tie"), "warn"),
    "overlap": (gettext_lazy("overlap"), "warn"),
    "outranks": (gettext_lazy("wins"), "ok"),
}


@dataclass(frozen=True)
class ConflictRow:
    conflict: insights.Conflict
    label: str
    css: str

    @property
    def url(self):
        return reverse("campaigns:edit", args=[self.conflict.other.pk])


ROWS_SHOWN = 20  # a page lists this many conflicts whatever the number of campaigns
SEVERITY = list(CONFLICT_KINDS)  # the most serious kind first


def conflict_check(campaign, segments=None):
    """{"reach", "rows", "competing", "more", "never_shown", "advice"}: the ROWS_SHOWN
    conflicts that matter most (the most serious kind, then the most shared customers) of
    the `competing` campaigns, `more` being the rest; `never_shown` says which campaigns
    are always shown first (None when this one can be shown), `advice` what would change
    that."""
    reach, found = insights.conflicts(campaign, segments)  # a saved campaign's: kept a while
    segments = list(campaign.segments.all()) if segments is None else segments
    found.sort(key=lambda c: (SEVERITY.index(c.kind), -c.shared_customers, c.other.pk))
    ahead = insights.always_ahead_of(campaign, segments, shop_today(campaign.organization))
    return {"reach": reach,
            "rows": [ConflictRow(c, *CONFLICT_KINDS[c.kind]) for c in found[:ROWS_SHOWN]],
            "competing": len(found), "more": max(len(found) - ROWS_SHOWN, 0),
            "never_shown": services.always_first(ahead) if ahead else None,
            "advice": advice(ahead) if ahead else None}


def advice(ahead):
    """What a marketer can do about a campaign that can never win."""
    best = min(c.priority for c in ahead)
    if best > 0:
        return _("To show it to these customers instead, give it a priority below %(best)s "
                 "(0 is the highest), or choose other segments.") % {"best": best}
    return _("Nothing ranks before priority 0 created earlier: give the other campaign a "
             "larger number first, or choose other segments.")
