"""The Lift tab of a campaign's page and the lift column of My campaigns: does the
campaign work, against its control group (lift.py computes, this module arranges)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kairos.campaigns.lift import WINDOWS, lift_report, verdicts
from kairos.campaigns.lift_chart import lift_chart, signed
from kairos.campaigns.models import Impression


def with_holdout(campaigns):
    """The campaigns with a holdout now, or control impressions from one in the past."""
    held = set(Impression.objects.filter(campaign__in=campaigns, control=True)
               .values_list("campaign_id", flat=True).distinct())
    return [c for c in campaigns if c.holdout_percent or c.pk in held]


def lift_section(campaign, today):
    """The Lift tab's context over the campaign's whole life; None without any holdout."""
    if not with_holdout([campaign]):
        return None
    report = lift_report(campaign, min(campaign.start_date, today), today)
    lifts = {lift["days"]: lift for lift in report["lift"]["reorder"]}
    report["rows"] = [window_row(report, days, lifts.get(days)) for days in WINDOWS]
    report["chart"] = lift_chart(report["lift"]["reorder"])
    return report


@dataclass(frozen=True)
class WindowRow:
    days: int
    treated: dict  # {"customers", "reordered", "rate"}
    control: dict
    lift: dict | None

    @property
    def points(self):
        return signed(100 * self.lift["absolute"]) if self.lift else None

    @property
    def interval(self):
        if not self.lift:
            return None
        return _("%(low)s to %(high)s") % {"low": signed(100 * self.lift["absolute_low"]),
                                           "high": signed(100 * self.lift["absolute_high"])}


def window_row(report, days, lift):
    position = WINDOWS.index(days)
    return WindowRow(days, report["treatment"]["reorder"][position],
                     report["control"]["reorder"][position], lift)


def lift_labels(campaigns, today, since=None):
    """{campaign id: (short label, verdict)} for the campaigns with a holdout: the lift
    column of My campaigns (each campaign's whole life) and of the comparison (the
    customers first reached from `since` to `today`), one grouped query for them all."""
    held = with_holdout(campaigns)
    if not held:
        return {}
    first_days = {c.pk: since or min(c.start_date, today) for c in held}
    found = verdicts(held[0].organization, held, first_days, today)
    return {pk: (short_label(verdict), verdict.text) for pk, verdict in found.items()}


def short_label(found):
    if found.outcome in ("raised", "lowered"):
        return _("%(points)s points") % {"points": signed(found.points)}
    return {"no_difference": _("no difference"), "not_enough_data": _("not enough data yet"),
            "no_control_group": _("no control group")}[found.outcome]

