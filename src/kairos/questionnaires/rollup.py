"""The daily rollup of responses, kept exact: reports over a period sum a few rows per
sealed day and count only the unsealed remainder (normally today) from the responses.

- *Sealed days*: every day of a shop before its watermark's `sealed_until` (days in the
  shop's time zone, which the watermark records) is counted in DailyResponses, a day
  without responses as no row. A shop without a watermark, or whose time zone changed
  since sealing, has nothing sealed: every figure is counted live.
- *Sealing* (`seal_all`, a periodic job of the worker) adds the days up to yesterday,
  once SEAL_GRACE has passed since the shop's midnight so that no submission of
  yesterday is still being written. It is idempotent and holds the watermark's row lock:
  two workers seal one after the other, the second finding nothing left to do.
- *Resealing* (`reseal`): whatever writes or deletes responses of a past day (the CSV
  import, the API with `submitted_at`, the demo data, erasure) calls it in its own
  transaction, after the write: it takes the watermark's lock and recounts those of the
  days that are sealed, so the rollup is never stale, not even for an instant. The
  public submission endpoint writes only today's responses and never calls it: the hot
  path has no new write nor read.
- Retention changes no counted column (stage, store_id, nps, rating and submitted_at are
  not personal data, see personal_data.NOT_PERSONAL): it never reseals.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from kairos.accounts.models import Organization
from kairos.accounts.shop_time import ONE_DAY, shop_today, shop_zone, start_of_day
from kairos.questionnaires.models import DailyResponses, Response, RollupWatermark
from kairos.questionnaires.reports import (
    DETRACTOR,
    PASSIVE,
    PROMOTER,
    ResponseSummary,
    filtered_responses,
    summarize,
)

# Longer than any transaction writing a response: a day is sealed only once this has
# passed since it ended, so a submission stamped 23:59:59 but committed after midnight
# is in it.
SEAL_GRACE = datetime.timedelta(minutes=15)

# The figures reports add up across groups: the average rating is rating_sum ÷ rated.
COUNTS = {"responses": Count("pk"), "promoters": Count("pk", filter=PROMOTER),
          "passives": Count("pk", filter=PASSIVE), "detractors": Count("pk", filter=DETRACTOR),
          "rated": Count("rating"), "rating_sum": Sum("rating")}
ROLLED_UP = {name: Sum(name) for name in COUNTS}


@dataclass
class Tally:
    """Counts of a group of responses, summed from grouped rows (live or rolled up)."""

    responses: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    rated: int = 0
    rating_sum: int = 0

    def add(self, row):
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + (row[name] or 0))

    def summary(self):
        average = self.rating_sum / self.rated if self.rated else None
        return ResponseSummary(self.responses, self.promoters, self.passives,
                               self.detractors, average)


# ---- reading ----------------------------------------------------------------------------

def sealed_until(organization):
    """The first day not in the rollup (None: nothing sealed in the shop's current zone)."""
    mark = RollupWatermark.objects.filter(organization=organization).first()
    if mark is None or mark.time_zone != organization.time_zone:
        return None
    return mark.sealed_until


def counted(organization, first=None, last=None, group=(), buckets=None, **filters):
    """Rows of COUNTS by `group` (and by "bucket", the number of the trend bucket, when
    `buckets` lists the buckets' first days) over the shop's days first…last (None: no
    bound), for responses matching `filters` (stage, store_id). The same groups may come
    twice, once from the rollup and once live: callers add rows up (Tally)."""
    rows, sealed = [], sealed_until(organization)
    if sealed and (first is None or first < sealed):
        rolled_last = sealed - ONE_DAY if last is None else min(last, sealed - ONE_DAY)
        rows += rolled_up_rows(organization, first, rolled_last, group, buckets, filters)
        first = sealed
    if last is None or first is None or first <= last:
        rows += live_rows(organization, first, last, group, buckets, filters)
    return rows


def rolled_up_rows(organization, first, last, group, buckets, filters):
    days = DailyResponses.objects.filter(organization=organization, day__lte=last, **filters)
    if first is not None:
        days = days.filter(day__gte=first)
    if buckets:
        days = days.annotate(bucket=bucket_of("day", buckets))
        group = ("bucket", *group)
    return grouped(days, group, ROLLED_UP)


def live_rows(organization, first, last, group, buckets, filters):
    responses = Response.objects.filter(organization=organization, **filters)
    if first is not None:
        responses = responses.filter(submitted_at__gte=start_of_day(organization, first))
    if last is not None:
        responses = responses.filter(submitted_at__lt=start_of_day(organization, last + ONE_DAY))
    if buckets:
        starts = [start_of_day(organization, day) for day in buckets]
        responses = responses.annotate(bucket=bucket_of("submitted_at", starts))
        group = ("bucket", *group)
    return grouped(responses, group, COUNTS)


def grouped(rows, group, sums):
    if not group:  # values() without fields would group by every column
        return [rows.aggregate(**sums)]
    return list(rows.values(*group).annotate(**sums).order_by())


def bucket_of(column, starts):
    """The trend bucket of a row as plain comparisons with the buckets' starts (days for
    the rollup, instants in the shop for responses), which an index-only scan evaluates
    cheaply: truncating each response's time in the shop's zone was a call per row."""
    limits = [When(**{f"{column}__lt": start}, then=Value(number))
              for number, start in enumerate(starts[1:])]
    return Case(*limits, default=Value(len(starts) - 1), output_field=IntegerField())


def summary(organization, first=None, last=None, **filters):
    """The ResponseSummary of the shop's days first…last (None: no bound)."""
    total = Tally()
    for row in counted(organization, first, last, **filters):
        total.add(row)
    return total.summary()


# The responses list's filters the rollup can answer; any other (scores, a search) is
# counted live.
ROLLED_UP_FILTERS = {"from", "to", "stage", "store"}


def filtered_summary(organization, filters):
    """The responses list's figures for its cleaned filters."""
    chosen = {name for name, value in filters.items() if value not in (None, "")}
    if not chosen <= ROLLED_UP_FILTERS:
        return summarize(filtered_responses(organization, filters))
    by = {"stage": filters.get("stage"), "store_id": filters.get("store")}
    return summary(organization, filters.get("from"), filters.get("to"),
                   **{name: value for name, value in by.items() if value})


# ---- sealing ----------------------------------------------------------------------------

def seal_all(now=None):
    """The periodic job: seal every shop's days up to its yesterday; how many shops moved."""
    return sum(seal(organization, now) for organization in Organization.objects.all())


def seal(organization, now=None):
    """Add the shop's whole days up to yesterday (SEAL_GRACE after its midnight) to the
    rollup; from scratch if nothing is sealed in its current time zone. True if it moved."""
    target = shop_today(organization, (now or timezone.now()) - SEAL_GRACE)
    with transaction.atomic():
        mark = locked_watermark(organization)
        start = mark.sealed_until if mark.time_zone == organization.time_zone else None
        if start is not None and start >= target:
            return False
        if start is None:
            DailyResponses.objects.filter(organization=organization).delete()
        store_days(organization, Q(submitted_at__lt=start_of_day(organization, target))
                   & days_from(organization, start))
        mark.time_zone, mark.sealed_until = organization.time_zone, target
        mark.save()
    return True


def rebuild(organization, now=None):
    """Forget the shop's rollup and seal it again from its first response."""
    with transaction.atomic():
        RollupWatermark.objects.filter(organization=organization).delete()
        DailyResponses.objects.filter(organization=organization).delete()
        return seal(organization, now)


def days_from(organization, start):
    return Q() if start is None else Q(submitted_at__gte=start_of_day(organization, start))


def locked_watermark(organization):
    """The shop's watermark, locked until the transaction ends (created unsealed if none:
    a shop's first seal and a concurrent reseal must queue on the same row)."""
    RollupWatermark.objects.get_or_create(
        organization=organization, defaults={"time_zone": organization.time_zone})
    return RollupWatermark.objects.select_for_update().get(organization=organization)


def store_days(organization, which):
    """Count the shop's responses matching `which` (whole days) into the rollup."""
    rows = (Response.objects.filter(which, organization=organization)
            .values("stage", day=TruncDate("submitted_at", tzinfo=shop_zone(organization)),
                    store=Coalesce("store_id", Value("")))
            .annotate(**COUNTS).order_by())
    DailyResponses.objects.bulk_create(
        (DailyResponses(organization=organization, day=row["day"], stage=row["stage"],
                        store_id=row["store"], **{name: row[name] or 0 for name in COUNTS})
         for row in rows.iterator()), batch_size=1000)


def reseal(organization, moments):
    """Recount the sealed days among those of `moments` (the submitted_at of responses this
    transaction just wrote or deleted). Call it inside that transaction, after the write:
    a seal running meanwhile either finished first (its days are recounted here) or waits
    for the lock and counts after this commits."""
    zone = shop_zone(organization)
    today = shop_today(organization)
    # Today, or a later day, cannot be sealed before this transaction ends (SEAL_GRACE):
    # the usual case takes no lock.
    days = {day for day in (moment.astimezone(zone).date() for moment in moments)
            if day < today}
    if not days:
        return
    mark = locked_watermark(organization)
    if mark.sealed_until is None or mark.time_zone != organization.time_zone:
        return
    days = sorted(day for day in days if day < mark.sealed_until)
    if not days:
        return
    DailyResponses.objects.filter(organization=organization, day__in=days).delete()
    store_days(organization, reduce(operator.or_, (
        Q(submitted_at__gte=start_of_day(organization, day),
          submitted_at__lt=start_of_day(organization, day + ONE_DAY)) for day in days)))
