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

Two queries whatever the number of requests: the requests with their response, then the
later responses of the same customers.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from kairos.callbacks.models import OPEN_STATUSES, CallbackRequest
from kairos.questionnaires.models import Response

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

    @property
    def first_contact_hours(self):
        return hours(self.to_first_contact)

    @property
    def resolution_hours(self):
        return hours(self.to_resolution)


def hours(duration):
    return None if duration is None else duration.total_seconds() / 3600


@dataclass(frozen=True)
class Request:
    created_at: datetime.datetime
    due_at: datetime.datetime | None
    first_contact_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    customer: str
    score: int | None


def closing_the_loop(organization, span, now=None):
    now = now or timezone.now()
    requests = made_in(organization, span)
    contacted = [r for r in requests if r.first_contact_at]
    later = later_responses(organization, span)
    return ClosingTheLoop(
        requests=len(requests),
        in_time=in_time(requests, now),
        to_first_contact=median([r.first_contact_at - r.created_at for r in contacted]),
        to_resolution=median([r.resolved_at - r.created_at for r in requests
                              if r.resolved_at]),
        rescued=rescued(contacted, later),
        reordered={days: reordered(contacted, later, days, now) for days in REORDER_DAYS})


def requests_in(organization, span):
    start, end = span
    return CallbackRequest.objects.filter(organization=organization, created_at__gte=start,
                                          created_at__lt=end)


def made_in(organization, span):
    rows = requests_in(organization, span).values_list(
        "created_at", "due_at", "first_contact_at", "resolved_at", "response__responder_key",
        "response__nps")
    return [Request(*row) for row in rows]


def later_responses(organization, span):
    """{customer: [(submitted_at, nps), …] oldest first}: every response of the period's
    callers from the period's start on (one query, the customers as a subquery)."""
    callers = requests_in(organization, span).values("response__responder_key")
    rows = (Response.objects.filter(organization=organization, responder_key__in=callers,
                                    submitted_at__gte=span[0])
            .exclude(responder_key="").order_by("submitted_at")
            .values_list("responder_key", "submitted_at", "nps"))
    found = defaultdict(list)
    for customer, submitted_at, score in rows:
        found[customer].append((submitted_at, score))
    return found


def in_time(requests, now):
    judged = [r for r in requests if r.due_at and (r.first_contact_at or r.due_at <= now)]
    return Share(sum(1 for r in judged if r.first_contact_at
                     and r.first_contact_at <= r.due_at), len(judged))


def rescued(contacted, later):
    pairs = [(r.score, next_score(r, later)) for r in contacted if r.score is not None]
    answered = [(before, after) for before, after in pairs if after is not None]
    return Share(sum(1 for before, after in answered if after > before), len(answered))


def next_score(request, later):
    return next((score for at, score in later.get(request.customer, ())
                 if at > request.created_at and score is not None), None)


def reordered(contacted, later, days, now):
    window = datetime.timedelta(days=days)
    ripe = [r for r in contacted if r.customer and r.created_at + window <= now]
    return Share(sum(1 for r in ripe if any(
        r.created_at < at <= r.created_at + window for at, _score in later.get(r.customer, ())
    )), len(ripe))


def median(durations):
    return statistics.median(durations) if durations else None


def waiting(organization, now=None):
    """(open requests, of which overdue): what the queue holds right now."""
    now = now or timezone.now()
    counts = CallbackRequest.objects.filter(
        organization=organization, status__in=OPEN_STATUSES).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    return counts["waiting"], counts["overdue"]
