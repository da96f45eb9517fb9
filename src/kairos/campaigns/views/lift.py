"""The Lift tab of a campaign's page and the lift column of My campaigns: does the
campaign work, against its control group (lift.py computes, this module arranges)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import shop_zone
from kairos.campaigns.lift import WINDOWS, kept_arms_of, lift_report, verdicts, with_holdout
from kairos.campaigns.lift_chart import lift_chart, signed
from kairos.campaigns.lift_facts import kept_at


def lift_section(campaign, today):
    """The Lift tab's context over the campaign's whole life; None without any holdout.

    From the facts kept every 15 minutes, as My campaigns counts them (the same verdict on
    both pages, and a page whose cost does not grow with the campaign's customers), or
    counted now before the first keep. The API's report is always counted now."""
    if not with_holdout([campaign]):
        return None
    kept = kept_at(campaign.organization)
    first = min(campaign.start_date, today)
    if kept is None:
        report = lift_report(campaign, first, today)
    else:
        report = lift_report(campaign, first, today, now=kept, counted=kept_arms_of)
    report["counted_at"] = kept and counted_at(campaign.organization, kept)
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
    customers first reached from `since` to `today`), counted from the facts kept
    (lift_facts.py: one grouped query for them all) as of when they were kept."""
    held = with_holdout(campaigns)
    if not held:
        return {}
    organization = held[0].organization
    kept = kept_at(organization)
    if kept is None:
        return dict.fromkeys((c.pk for c in held), (_("being counted"), _(
            "The lift is counted every 15 minutes; it has not been counted yet.")))
    first_days = {c.pk: since or min(c.start_date, today) for c in held}
    found = verdicts(organization, held, first_days, today, now=kept, counted=kept_arms_of)
    as_of = counted_at(organization, kept)
    return {pk: (short_label(verdict), f"{verdict.text} {as_of}")
            for pk, verdict in found.items()}


def counted_at(organization, kept):
    return _("Counted at %(time)s.") % {"time": date_format(
        timezone.localtime(kept, shop_zone(organization)), "SHORT_DATETIME_FORMAT")}


def short_label(found):
    if found.outcome in ("raised", "lowered"):
        return _("%(points)s points") % {"points": signed(found.points)}
    return {"no_difference": _("no difference"), "not_enough_data": _("not enough data yet"),
            "no_control_group": _("no control group")}[found.outcome]

