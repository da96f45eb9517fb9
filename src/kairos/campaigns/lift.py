"""Does the campaign work? Its customers against its control group (its holdout).

The cohort: customers (by the identity the holdout assigns on, `responder_key`) whose
*first* impression of the campaign, real or control, falls in the period; the group is
that first impression's (intent to treat: a treated customer who ignored the campaign
still counts as treated). For each customer the database answers, in one grouped query:

- a **re-order** within 30/60/90 days: a later response of the same customer, recognised
  by any identity (customer id, e-mail, phone, or the same device key), about another
  order (every response comes from an order; an after-sales answer about the same
  transaction is not a new one). Only customers followed for the whole window count in
  it, so a recent cohort never looks like one that did not come back;
- the **NPS of the next response** with an NPS answer;
- for callback campaigns, whether they **asked to be called back** and were **resolved**.

A campaign's report counts them now; My campaigns and the comparison count the same
facts as lift_facts.py keeps them every 15 minutes (kept_arms_of).

The statistics are statsmodels': Newcomb's interval for the difference of two
proportions, the log interval for their ratio, Welch's interval for the difference of
two NPS, and a normal power analysis for how many more customers a verdict needs. They
are imported inside the functions that use them: statsmodels (with scipy) takes seconds
to import, and the URL configuration imports this module, so every server process and
every `kairos` command would pay for it at start-up.
"""

import datetime
import hashlib
import math
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, reduce

from django.core.cache import cache as django_cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import days_span
from kairos.campaigns.holdout import holdout_periods
from kairos.campaigns.models import Action, ExposureFact, Impression
from kairos.questionnaires.models import Response

WINDOWS = (30, 60, 90)  # days a customer is followed for a re-order
CONFIDENCE = 0.95
POWER = 0.8
SMALLEST_LIFT = 0.05  # the smallest change in re-orders worth finding: 5 points
MIN_GROUP = 30  # customers per group before any verdict, whatever the power says


@dataclass
class Arm:
    """One group's counts: the treated customers or the control group."""

    customers: int = 0
    followed: dict = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    reordered: dict = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    callbacks_requested: int = 0
    callbacks_resolved: int = 0

    @property
    def nps_responses(self):
        return self.promoters + self.passives + self.detractors

    def rate(self, days):
        return self.reordered[days] / self.followed[days] if self.followed[days] else None

    def nps(self):
        n = self.nps_responses
        return round(100 * (self.promoters - self.detractors) / n, 1) if n else None


# ---- the counts -------------------------------------------------------------------------

def first_exposures(in_cohort):
    """Each customer's first impression of each campaign, kept when it meets `in_cohort`
    (a filter on impressions)."""
    earlier = Impression.objects.filter(
        Q(shown_at__lt=OuterRef("shown_at")) | Q(shown_at=OuterRef("shown_at"),
                                                 pk__lt=OuterRef("pk")),
        campaign_id=OuterRef("campaign_id"),
        response__responder_key=OuterRef("response__responder_key"))
    # Without any identity a customer is never held out, nor followed to a next order.
    return (Impression.objects.filter(in_cohort)
            .exclude(response__responder_key="").exclude(Exists(earlier)))


def in_periods(starts):
    """The impressions of the campaigns shown from their start on: one condition per
    distinct start."""
    by_start = defaultdict(list)
    for campaign_id, start in starts.items():
        by_start[start].append(campaign_id)
    return reduce(operator.or_, (Q(campaign_id__in=ids, shown_at__gte=start)
                                 for start, ids in sorted(by_start.items())))


def later_responses(organization_id):
    """The same customer's responses after the exposing one, by any of its identities."""
    outer = "response__"
    same_customer = (Q(responder_key=OuterRef(outer + "responder_key"))
                     | Q(email=OuterRef(outer + "email"))
                     | Q(phone_number=OuterRef(outer + "phone_number"))
                     | Q(customer_id=OuterRef(outer + "customer_id")))
    return Response.objects.filter(same_customer, organization_id=organization_id,
                                   submitted_at__gt=OuterRef(outer + "submitted_at"))


def reordered_within(organization_id, days):
    orders = later_responses(organization_id).exclude(transaction_id=OuterRef("order"))
    return Exists(orders.filter(
        submitted_at__lte=OuterRef("response__submitted_at") + datetime.timedelta(days=days)))


def next_nps(organization_id):
    answered = later_responses(organization_id).filter(nps__isnull=False)
    return Subquery(answered.order_by("submitted_at", "id").values("nps")[:1])


def callbacks(**conditions):
    asked = Action.objects.filter(campaign_id=OuterRef("campaign_id"), type="callback_request",
                                  **conditions, impression__response__responder_key=OuterRef(
                                      "response__responder_key"))
    return Exists(asked)


def with_holdout(campaigns):
    """The campaigns with a holdout now, or control impressions from one in the past."""
    held = set(Impression.objects.filter(campaign__in=campaigns, control=True)
               .values_list("campaign_id", flat=True).distinct())
    return [c for c in campaigns if c.holdout_percent or c.pk in held]


def count_arms(campaign, start, end, now, counted=None):
    """{True: control Arm, False: treatment Arm} of one campaign; `counted`: count_arms_of
    (live, the default) or kept_arms_of (as of the last keep)."""
    counted = counted or count_arms_of
    return counted(campaign.organization_id, {campaign.pk: start}, end, now)[campaign.pk]


def count_arms_of(organization_id, starts, end, now):
    """{campaign id: {True: control Arm, False: treatment Arm}} of the campaigns in
    `starts` ({campaign id: start}), counted now: one query grouped by campaign, group and
    next NPS (at most 2 × 12 rows a campaign), so each customer's subqueries run once."""
    cohort = first_exposures(in_periods(starts) & Q(shown_at__lt=end)).annotate(
        order=Coalesce("response__transaction_id", Value("")),
        next_nps=next_nps(organization_id))
    return arms_of(starts, cohort, now, requested=Q(callbacks()),
                   resolved=Q(callbacks(callback__status="resolved")),
                   reordered=lambda days: Q(reordered_within(organization_id, days)))


# The arms counted from a shop's kept facts are kept this long in the process's cache, under
# a key with the keep's time (`now`): the facts change when they are kept again, so a new
# keep counts afresh. Counting them for the comparison's period read 100,000 facts (130 ms
# on SQLite at a million responses) at every view.
KEPT_ARMS_SECONDS = 15 * 60


def kept_arms_of(organization_id, starts, end, now):
    """count_arms_of's arms from the kept facts (lift_facts.py): the same counts as of
    the last keep (`now`), from one grouped query over the facts' index, kept in the
    cache until the facts are kept again (an erasure leaves them at most that long)."""
    key = "lift-arms:" + hashlib.blake2b(
        repr((organization_id, sorted(starts.items()), end, now)).encode(),
        digest_size=16).hexdigest()
    arms = django_cache.get(key)
    if arms is None:
        arms = counted_kept_arms(organization_id, starts, end, now)
        django_cache.set(key, arms, KEPT_ARMS_SECONDS)
    return arms


def counted_kept_arms(organization_id, starts, end, now):
    facts = ExposureFact.objects.filter(in_periods(starts), organization_id=organization_id,
                                        shown_at__lt=end)
    # Counting shown_at (never null), not the key: the index holds every column counted.
    return arms_of(starts, facts, now, requested=Q(requested=True), resolved=Q(resolved=True),
                   reordered=lambda days: Q(reordered_within__lte=days), counted="shown_at")


def arms_of(starts, cohort, now, requested, resolved, reordered, counted="pk"):
    """Counts the cohort (first exposures with campaign_id, control, shown_at and
    next_nps) per campaign and group; `reordered(days)`: who re-ordered within them;
    `counted`: a column never null, whose values are counted."""
    totals = {"customers": Count(counted), "requested": Count(counted, filter=requested),
              "resolved": Count(counted, filter=resolved)}
    for days in WINDOWS:
        followed = Q(shown_at__lte=now - datetime.timedelta(days=days))
        totals[f"followed_{days}"] = Count(counted, filter=followed)
        totals[f"reordered_{days}"] = Count(counted, filter=followed & reordered(days))
    arms = {campaign_id: {True: Arm(), False: Arm()} for campaign_id in starts}
    # PostgreSQL runs it without JIT (settings.postgres_options): the planner prices each
    # customer's index lookups as if they read a good part of the table, and compiling
    # the query took 3-6 s of a run of under one (bench/README.md, "The campaign pages").
    rows = list(cohort.values("campaign_id", "control", "next_nps").annotate(**totals)
                .order_by())
    for row in rows:
        add_row(arms[row["campaign_id"]][row["control"]], row)
    return arms


def add_row(arm, row):
    arm.customers += row["customers"]
    arm.callbacks_requested += row["requested"]
    arm.callbacks_resolved += row["resolved"]
    for days in WINDOWS:
        arm.followed[days] += row[f"followed_{days}"]
        arm.reordered[days] += row[f"reordered_{days}"]
    score = row["next_nps"]
    if score is not None:
        kind = "promoters" if score >= 9 else "passives" if score >= 7 else "detractors"
        setattr(arm, kind, getattr(arm, kind) + row["customers"])


# ---- the statistics ---------------------------------------------------------------------

ALPHA = 1 - CONFIDENCE


def reorder_lift(treated, control, days):
    """Absolute lift (points as a share, e.g. 0.05) and relative lift, with intervals;
    None where the groups cannot say (nobody followed that long, no control re-order)."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    k1, n1, k0, n0 = (treated.reordered[days], treated.followed[days],
                      control.reordered[days], control.followed[days])
    if not (n1 and n0):
        return None
    low, high = confint_proportions_2indep(k1, n1, k0, n0, compare="diff",
                                           method="newcomb", alpha=ALPHA)
    lift = {"days": days, "absolute": k1 / n1 - k0 / n0, "absolute_low": float(low),
            "absolute_high": float(high), "relative": None, "relative_low": None,
            "relative_high": None}
    if k0 and k1:
        low, high = confint_proportions_2indep(k1, n1, k0, n0, compare="ratio",
                                               method="log", alpha=ALPHA)
        lift.update(relative=(k1 / n1) / (k0 / n0) - 1, relative_low=float(low) - 1,
                    relative_high=float(high) - 1)
    return lift


def nps_scores(arm):
    """The arm's next responses as NPS points per customer: +100, 0 or -100."""
    import numpy
    from statsmodels.stats.weightstats import DescrStatsW

    return DescrStatsW(numpy.array([100.0, 0.0, -100.0]),
                       weights=numpy.array([arm.promoters, arm.passives, arm.detractors]))


def nps_lift(treated, control):
    """Difference of NPS (points) with Welch's interval; None below 2 responses a group."""
    if treated.nps_responses < 2 or control.nps_responses < 2:
        return None
    first, second = nps_scores(treated), nps_scores(control)
    if first.var == 0 and second.var == 0:  # every answer alike: no spread to estimate
        return None
    from statsmodels.stats.weightstats import CompareMeans

    low, high = CompareMeans(first, second).tconfint_diff(alpha=ALPHA, usevar="unequal")
    return {"absolute": treated.nps() - control.nps(), "absolute_low": float(low),
            "absolute_high": float(high)}


def customers_needed(treated, control, days, holdout_percent):
    """How many customers (both groups) a 5-point change in re-orders needs to be found
    with 80% power, at the groups' present proportion."""
    from statsmodels.stats.proportion import proportion_effectsize

    baseline = (control.rate(days) if control.followed[days]
                else pooled_rate(treated, control, days))
    target = baseline + SMALLEST_LIFT if baseline + SMALLEST_LIFT <= 1 else baseline - SMALLEST_LIFT
    effect = abs(proportion_effectsize(target, baseline))
    ratio = control_ratio(treated, control, days, holdout_percent)
    treated_needed = power_units() * (1 + 1 / ratio) / effect ** 2
    treated_needed = max(treated_needed, MIN_GROUP, MIN_GROUP / ratio)
    return math.ceil(treated_needed * (1 + ratio))


@cache
def power_units():
    """NormalIndPower's treated customers for an effect of 1 with one control each, halved.

    Its power depends on effect × sqrt(n / (1 + 1/ratio)) alone, so the n a verdict needs
    is this × (1 + 1/ratio) / effect², the root solve_power would find (within its 1e-8
    tolerance). Solving once, not per campaign: the root-finding took ~10 ms a campaign,
    most of the comparison's time at 50 campaigns with a holdout."""
    from statsmodels.stats.power import NormalIndPower

    return NormalIndPower().solve_power(effect_size=1.0, alpha=ALPHA, power=POWER,
                                        ratio=1.0) / 2


def pooled_rate(treated, control, days):
    followed = treated.followed[days] + control.followed[days]
    return (treated.reordered[days] + control.reordered[days]) / followed if followed else 0.0


def control_ratio(treated, control, days, holdout_percent):
    """Control customers per treated one: as observed, else as configured."""
    if treated.followed[days] and control.followed[days]:
        return control.followed[days] / treated.followed[days]
    share = min(max(holdout_percent, 1), 99) / 100
    return share / (1 - share)


# ---- the verdict ------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    outcome: str  # no_control_group | not_enough_data | raised | lowered | no_difference
    text: str
    days: int | None = None
    customers_needed: int | None = None
    points: float | None = None  # raised or lowered: the lift in percentage points


def verdict(campaign, treated, control, lifts):
    """A plain sentence on re-orders, over the longest window both groups can judge."""
    if not control.customers and not campaign.holdout_percent:
        return Verdict("no_control_group", _(
            "No control group: set a holdout to measure whether this campaign works."))
    days = judged_window(treated, control)
    needed = customers_needed(treated, control, days, campaign.holdout_percent)
    followed = treated.followed[days] + control.followed[days]
    lift = lifts.get(days)
    if lift and min(treated.followed[days], control.followed[days]) >= MIN_GROUP:
        if lift["absolute_low"] > 0 or lift["absolute_high"] < 0:
            return significant(campaign, lift)
        if followed >= needed:
            return Verdict("no_difference", _(
                "No measurable difference in re-orders within %(days)s days between the "
                "customers who saw it and the control group.") % {"days": days}, days)
    more = max(needed - followed, 1)
    return Verdict("not_enough_data", _(
        "Not enough data yet: about %(more)s more customers needed (followed for "
        "%(days)s days).") % {"more": more, "days": days}, days, more)


def judged_window(treated, control):
    """The longest window in which both groups have enough followed customers; else the
    shortest (the one that fills first)."""
    ready = [days for days in WINDOWS
             if min(treated.followed[days], control.followed[days]) >= MIN_GROUP]
    return ready[-1] if ready else WINDOWS[0]


def significant(campaign, lift):
    words = {"days": lift["days"], "points": points(abs(lift["absolute"])),
             "low": points(lift["absolute_low"]), "high": points(lift["absolute_high"])}
    raised = lift["absolute"] > 0
    if campaign.type == "callback_request":
        text = (_("Calling back raised re-orders within %(days)s days by %(points)s points "
                  "(95%% CI %(low)s to %(high)s).") if raised else
                _("Calling back lowered re-orders within %(days)s days by %(points)s points "
                  "(95%% CI %(low)s to %(high)s)."))
    else:
        text = (_("This campaign raised re-orders within %(days)s days by %(points)s points "
                  "(95%% CI %(low)s to %(high)s).") if raised else
                _("This campaign lowered re-orders within %(days)s days by %(points)s points "
                  "(95%% CI %(low)s to %(high)s)."))
    return Verdict("raised" if raised else "lowered", text % words, lift["days"],
                   points=round(100 * lift["absolute"], 1))


def points(share):
    """0.0512 -> "5.1": a share as percentage points, one decimal."""
    return f"{100 * share:.1f}"


# ---- the report -------------------------------------------------------------------------

def lift_report(campaign, date_from, date_to, now=None, counted=None):
    """Treatment against control for the customers first exposed from date_from to
    date_to (whole days of the shop), their lifts, the verdict and the holdout shares the
    period covers; `counted` as count_arms takes it."""
    now = now or timezone.now()
    start, end = days_span(campaign.organization, date_from, date_to)
    arms = count_arms(campaign, start, end, now, counted)
    treated, control = arms[False], arms[True]
    lifts = reorder_lifts(treated, control)
    return {
        "campaign_id": campaign.pk, "from": date_from, "to": date_to,
        "holdout_percent": campaign.holdout_percent, "confidence": CONFIDENCE,
        "holdout_periods": covered_periods(campaign, start, end),
        "treatment": arm_out(campaign, treated), "control": arm_out(campaign, control),
        "lift": {"reorder": [lifts[d] for d in WINDOWS if lifts[d]],
                 "nps": nps_lift(treated, control)},
        "verdict": verdict(campaign, treated, control, lifts),
    }


def reorder_lifts(treated, control):
    return {days: reorder_lift(treated, control, days) for days in WINDOWS}


def verdicts(organization, campaigns, first_days, date_to, now=None, counted=count_arms_of):
    """{campaign id: Verdict}: each campaign's verdict for the customers first exposed
    from its first day (first_days: {campaign id: date}) to date_to, exactly as its
    lift_report's, with one grouped query for all the campaigns. `counted`: count_arms_of
    (live) or kept_arms_of (as of the last keep)."""
    now = now or timezone.now()
    end = days_span(organization, date_to, date_to)[1]
    starts = {c.pk: days_span(organization, first_days[c.pk], date_to)[0] for c in campaigns}
    arms = counted(organization.pk, starts, end, now) if campaigns else {}
    found = {}
    for campaign in campaigns:
        treated, control = arms[campaign.pk][False], arms[campaign.pk][True]
        found[campaign.pk] = verdict(campaign, treated, control,
                                     reorder_lifts(treated, control))
    return found


def arm_out(campaign, arm):
    resolved = None
    if campaign.type == "callback_request":
        resolved = {"requested": arm.callbacks_requested, "resolved": arm.callbacks_resolved,
                    "share": arm.callbacks_resolved / arm.customers if arm.customers else None}
    return {"customers": arm.customers,
            "reorder": [{"days": d, "customers": arm.followed[d], "reordered": arm.reordered[d],
                         "rate": arm.rate(d)} for d in WINDOWS],
            "next_response_nps": {"responses": arm.nps_responses, "nps": arm.nps()},
            "callbacks": resolved}


def covered_periods(campaign, start, end):
    """The holdout shares in force during [start, end), each clipped to it."""
    return [{"since": max(p.since, start), "until": min(p.until or end, end),
             "percent": p.percent}
            for p in holdout_periods(campaign)
            if p.since < end and (p.until is None or p.until > start)]
