"""Closing the loop: are unhappy customers called back in time, and does it work?

The callback requests counted are those made in the period (their `created_at`), on the
clock the callbacks workspace keeps: `due_at` (when the shop's SLA wants a first
contact), `first_contact_at` (the first call attempt) and `resolved_at`.

- close-the-loop rate: of the requests with a due time that is past or that were
  contacted, the share first contacted by their due time (requests without a due time
  are left out: no SLA applied to them);
- median time to first contact and to resolution: from the request, in clock hours;
- rescue rate: of the contacted customers who answered again with a score, the share
  whose next score (their next order's response) is higher than the one that led to the
  request;
- re-order rate within N days: of the contacted customers whose N days since the request
  have passed, the share with a later response (a later order) within those N days.

The database counts, in five queries whatever the number of requests: one aggregate of
the clock, the middle one or two of each sorted duration (the medians), when the shop's
facts were kept and one aggregate of the outcomes. The clock is counted now. The outcomes
are counted from the facts a periodic job keeps every 15 minutes with this module's
expressions (loop_facts.py, so there is one definition): each contacted request looking
up its customer's next scored response and later orders took 125–190 ms a period at a
million responses, twice per page. Before a shop's first keep they are counted now, as
the job would count them.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.lookups import GreaterThan, IsNull
from django.utils import timezone

from kairos.accounts.shop_time import shop_zone
from kairos.callbacks.models import OPEN_STATUSES, CallbackRequest
from kairos.db.functions import SecondsBetween
from kairos.questionnaires.models import Response
from kairos.reports.models import CallbackFactsKept

REORDER_DAYS = (30, 60, 90)


@dataclass(frozen=True)
class Share:
    """`part` of `whole`; the rate is None when there is nothing to count."""

    part: int
    whole: int

    @property
    def rate(self):
        return self.part / self.whole if self.whole else None

    @property
    def percent(self):
        return None if self.rate is None else self.rate * 100


@dataclass(frozen=True)
class ClosingTheLoop:
    requests: int
    in_time: Share
    to_first_contact: datetime.timedelta | None
    to_resolution: datetime.timedelta | None
    rescued: Share
    reordered: dict = field(default_factory=dict)  # {days: Share}
    # when the rescue and re-order figures were counted (in the shop's time), if they come
    # from the kept facts; None: counted now
    outcomes_counted_at: datetime.datetime | None = None

    @property
    def first_contact_hours(self):
        return hours(self.to_first_contact)

    @property
    def resolution_hours(self):
        return hours(self.to_resolution)


def hours(duration):
    return None if duration is None else duration.total_seconds() / 3600


def closing_the_loop(organization, span, now=None):
    now = now or timezone.now()
    requests = requests_in(organization, span)
    counts = requests.aggregate(
        requests=Count("pk"), contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)), **in_time_counts(now))
    outcomes, counted_at = contacted_outcomes(organization, requests, now)
    return ClosingTheLoop(
        requests=counts["requests"],
        in_time=Share(counts["in_time"], counts["judged"]),
        to_first_contact=median_duration(requests, "first_contact_at", counts["contacted"]),
        to_resolution=median_duration(requests, "resolved_at", counts["resolved"]),
        rescued=Share(outcomes["rescued"], outcomes["answered"]),
        reordered={days: Share(outcomes[f"reordered_{days}"], outcomes[f"ripe_{days}"])
                   for days in REORDER_DAYS},
        outcomes_counted_at=counted_at and timezone.localtime(counted_at,
                                                              shop_zone(organization)))


def requests_in(organization, span):
    start, end = span
    return CallbackRequest.objects.filter(organization=organization, created_at__gte=start,
                                          created_at__lt=end)


def in_time_counts(now):
    """Judged: the requests with a due time that is past or that were contacted (no SLA
    applied to those without one); in time: first contacted by their due time."""
    judged = Q(due_at__isnull=False) & (Q(first_contact_at__isnull=False) | Q(due_at__lte=now))
    return {"judged": Count("pk", filter=judged),
            "in_time": Count("pk", filter=judged & Q(first_contact_at__lte=F("due_at")))}


def median_duration(requests, reached, count):
    """The median time from the request to `reached` (a clock field), of the `count`
    requests reached: the database sorts the durations and returns the middle one or two
    (to the millisecond)."""
    if not count:
        return None
    durations = (requests.filter(**{f"{reached}__isnull": False})
                 .annotate(seconds=SecondsBetween(reached, "created_at")))
    middle = durations.order_by("seconds").values_list("seconds", flat=True)
    seconds = statistics.median(middle[(count - 1) // 2:count // 2 + 1])
    return datetime.timedelta(seconds=round(seconds, 3))


def caller_responses(organization):
    """The responses of the outer request's customer after the request (a customer with
    no identity has no later responses)."""
    return (Response.objects.filter(organization=organization,
                                    responder_key=OuterRef("response__responder_key"),
                                    submitted_at__gt=OuterRef("created_at"))
            .exclude(responder_key=""))


def next_score(organization):
    """The NPS of the outer request's customer's next scored response, or None."""
    return Subquery(caller_responses(organization).filter(nps__isnull=False)
                    .order_by("submitted_at", "pk").values("nps")[:1])


def reordered_within(organization, days):
    """Whether the outer request's customer answered again (a later order) within `days`
    days of the request."""
    window = datetime.timedelta(days=days)
    return Exists(caller_responses(organization).filter(
        submitted_at__lte=OuterRef("created_at") + window))


def contacted_outcomes(organization, requests, now):
    """(counts, counted at): the outcomes of the contacted requests from the facts kept
    (loop_facts.py) as of when they were kept, or counted now (None) before the first
    keep."""
    kept = facts_kept_at(organization)
    if kept is None:
        return live_outcomes(organization, requests, now), None
    return kept_outcomes(requests, kept), kept


def live_outcomes(organization, requests, now):
    """outcome_counts, each contacted request looking its customer up now."""
    score = next_score(organization)
    # Written out rather than annotated: an aggregate over an annotation would wrap the
    # query in a subquery that loses the join to the response.
    return outcome_counts(requests, now, scored=SCORED, known=IDENTIFIED,
                          answered=Q(IsNull(score, False)),
                          rescued=Q(GreaterThan(score, F("response__nps"))),
                          reordered=lambda days: Q(reordered_within(organization, days)))


# Of the request's own response: it has a score; its customer can be recognised later.
SCORED = Q(response__nps__isnull=False)
IDENTIFIED = Q(response__responder_key__isnull=False) & ~Q(response__responder_key="")


def kept_outcomes(requests, kept):
    """outcome_counts from the kept facts: the same counts as of the keep, joining each
    request to its fact only (a request made since has none: no outcome yet). The fact
    carries its response's score and whether its customer is identified, so the request's
    response is not read: that lookup was most of the 50–65 ms a period took at a million
    responses on PostgreSQL."""
    return outcome_counts(requests, kept, scored=Q(fact__score__isnull=False),
                          known=Q(fact__identified=True),
                          answered=Q(fact__next_nps__isnull=False),
                          rescued=Q(fact__next_nps__gt=F("fact__score")),
                          reordered=lambda days: Q(fact__reordered_within__lte=days))


def outcome_counts(requests, now, scored, known, answered, rescued, reordered):
    """One aggregate over the contacted requests (`scored`, `known`: their response has a
    score, their customer is identified):

    - rescued of answered: of those whose score and customer's next score are known, the
      next score is higher;
    - reordered_N of ripe_N: of those with a customer whose N days have passed, a later
      response within the N days."""
    counts = {"answered": Count("pk", filter=scored & answered),
              "rescued": Count("pk", filter=rescued)}
    for days in REORDER_DAYS:
        ripe = known & Q(created_at__lte=now - datetime.timedelta(days=days))
        counts[f"ripe_{days}"] = Count("pk", filter=ripe)
        counts[f"reordered_{days}"] = Count("pk", filter=ripe & reordered(days))
    return requests.filter(first_contact_at__isnull=False).aggregate(**counts)


def facts_kept_at(organization):
    """When the shop's callback facts were last kept; None before the first time."""
    return (CallbackFactsKept.objects.filter(organization=organization)
            .values_list("kept_at", flat=True).first())


def waiting(organization, now=None):
    """(open requests, of which overdue): what the queue holds right now."""
    now = now or timezone.now()
    counts = CallbackRequest.objects.filter(
        organization=organization, status__in=OPEN_STATUSES).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    return counts["waiting"], counts["overdue"]
