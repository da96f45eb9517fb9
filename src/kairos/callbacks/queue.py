"""The callbacks queue: the one place that turns filters into the shop's callback requests.

The dashboard's list, `GET /api/v1/callbacks` and both CSV exports read the same
queryset from here, so a filter means the same everywhere. Filters arrive already
validated (the API's schema, the dashboard's form); the shop-dependent checks (is this
one of the shop's statuses?) are made here, as Problems naming the field.

By default the queue holds the open requests, the overdue ones first, then the oldest:
the order an agent should call them in.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import days_span
from kairos.callbacks import services
from kairos.callbacks.models import CallbackAttempt, CallbackRequest
from kairos.errors import Problems
from kairos.segments.sql import Normalised, normalised

OPEN = "open"  # every status that counts as open
ANY = "all"  # every request, whatever its status
ME, NOBODY = "me", "none"  # assignee filters besides an e-mail
# Phone numbers as people type them: digits with spaces, dots, dashes, brackets, a +.
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{3,}$")


@dataclass(frozen=True)
class QueueFilters:
    """What to show; every field optional. `status`: a status, OPEN (the default) or ANY.
    `assignee`: a member's e-mail, ME or NOBODY. `date_from`/`date_to`: days in the shop's
    time zone, both included. `q`: a phone number, a name, an e-mail or an order id."""

    status: str = OPEN
    campaign: int | None = None
    store: str = ""
    assignee: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    overdue: bool = False
    q: str = ""


def statuses(organization):
    """(key, title, counts as open) of every status a request of this shop can have."""
    return [(status["key"], status["title"], status["counts_as_open"])
            for status in services.statuses(organization)]


def check_filters(organization, user, filters):
    """Problems naming the field when a filter is not one the shop (or `user`) knows."""
    if filters.assignee == ME and user is None:
        raise Problems([("assignee", _("“me” needs a signed-in member; an API key is "
                                       "nobody: name the member's e-mail"))])
    known = {key for key, _label, _open in statuses(organization)} | {OPEN, ANY}
    if filters.status not in known:
        raise Problems([("status", _("not one of the shop's statuses: %(known)s") % {
            "known": ", ".join(sorted(known))})])
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise Problems([("to", _("The end date is before the start date."))])
    return filters


def callback_queue(organization, user, filters=QueueFilters(), now=None):
    """The shop's requests matching `filters` (for `user`, who is "me"), in queue order:
    overdue first, then the oldest; the customer's response and the campaign come along.

    They come in their own queries for the page's rows (prefetched), not joined: a join
    had the database read and sort every open request's response before taking a page."""
    now = now or timezone.now()
    matching = without_status(organization, user, filters, now)
    matching = matching.filter(status_condition(organization, filters.status))
    return (matching.prefetch_related("campaign", "response", "assignee")
            .annotate(is_overdue=overdue_flag(now), attempt_count=attempt_count())
            .order_by("-is_overdue", "created_at", "id"))


def status_counts(organization, user, filters=QueueFilters(), now=None):
    """{status: how many} of the requests the other filters select, and OPEN's total."""
    matching = without_status(organization, user, filters, now or timezone.now())
    counts = dict(matching.order_by().values_list("status").annotate(Count("id")))
    known = statuses(organization)
    counted = {key: counts.get(key, 0) for key, _title, _open in known}
    counted[OPEN] = sum(counted[key] for key, _title, is_open in known if is_open)
    return counted


def without_status(organization, user, filters, now):
    """Every filter but the status, scoped to the shop (the counts per status read it)."""
    conditions = [Q(organization=organization)]
    if filters.campaign:
        conditions.append(Q(campaign_id=filters.campaign))
    if filters.store:
        conditions.append(Q(response__store_id=filters.store))
    if filters.assignee:
        conditions.append(assignee_condition(filters.assignee, user))
    if filters.date_from or filters.date_to:
        conditions.append(created_between(organization, filters.date_from, filters.date_to))
    if filters.overdue:
        conditions.append(Q(due_at__lt=now, is_open=True))
    matching = CallbackRequest.objects.filter(*conditions)
    return search(matching, filters.q) if filters.q.strip() else matching


def status_condition(organization, status):
    if status == ANY:
        return Q()
    if status == OPEN:
        return Q(is_open=True)  # indexed with the shop
    return Q(status=status)


def assignee_condition(assignee, user):
    if assignee == NOBODY:
        return Q(assignee__isnull=True)
    if assignee == ME:
        return Q(assignee=user)
    return Q(assignee__email=assignee.strip().lower())


def created_between(organization, date_from, date_to):
    """Requested within these days of the shop (midnight to midnight in its zone)."""
    start, end = days_span(organization, date_from or datetime.date(1900, 1, 1),
                           date_to or datetime.date(2999, 12, 30))
    return Q(created_at__gte=start, created_at__lt=end)


def overdue_flag(now):
    return Case(When(due_at__lt=now, is_open=True, then=Value(True)),
                default=Value(False), output_field=BooleanField())


def attempt_count():
    """How many calls were made, as a subquery per row (no GROUP BY over the joins)."""
    counted = (CallbackAttempt.objects.filter(callback=OuterRef("pk")).order_by()
               .values("callback").annotate(count=Count("id")).values("count"))
    return Coalesce(Subquery(counted), 0)


def is_overdue(callback, now=None):
    """Whether this request, still open, is past its due time (the queue annotates it)."""
    flagged = getattr(callback, "is_overdue", None)
    return callback.overdue(now) if flagged is None else flagged


def attempts_of(callback):
    """The number of call attempts (the queue annotates it)."""
    counted = getattr(callback, "attempt_count", None)
    return callback.attempts.count() if counted is None else counted


def search(callbacks, text):
    """Requests whose phone (as typed: 6900…, 0030 6900…, +30 690-0…), customer name,
    e-mail or order id contains `text`; names ignore case as segments do."""
    needle = normalised(text.strip())
    name = Normalised(KeyTextTransform("name", "response__responder_metadata"), [needle])
    found = (Q(customer_name__contains=needle) | Q(response__email__contains=needle)
             | Q(response__transaction_id__icontains=text.strip()))
    digits = phone_digits(text)
    if digits:
        found |= Q(phone_number__contains=digits) | Q(response__phone_number__contains=digits)
    return callbacks.alias(customer_name=name).filter(found)


def phone_digits(text):
    """The digits of a typed phone number as they appear in an E.164 number, or ""."""
    text = text.strip()
    if not PHONE_LIKE.match(text):
        return ""
    digits = re.sub(r"\D", "", text)
    if text.startswith("00"):  # the international prefix typed the European way
        digits = digits[2:]
    return digits if len(digits) >= 3 else ""
