"""The responses report: which responses match the dashboard's filters, and their scores.

Everything is a database query over the typed, indexed columns of Response; the figures
come from one aggregate query, so a shop with a million responses never streams rows
into Python to get its NPS.
"""

import operator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db import connection
from django.db.models import Avg, Count, Q

from kairos.accounts.shop_time import ONE_DAY, start_of_day
from kairos.questionnaires.models import Response

PROMOTER = Q(nps__gte=9)
PASSIVE = Q(nps__gte=7, nps__lte=8)
DETRACTOR = Q(nps__lte=6)  # nps is NULL for responses without a score: never a detractor


@dataclass(frozen=True)
class ResponseSummary:
    responses: int
    promoters: int
    passives: int
    detractors: int
    average_rating: float | None

    @property
    def scored(self):
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self):
        """% promoters − % detractors among scored responses, a whole number; None if none."""
        if not self.scored:
            return None
        return round_half_away_from_zero(100 * (self.promoters - self.detractors), self.scored)


def round_half_away_from_zero(numerator, denominator):
    # Python's round() rounds halves to even (12.5 -> 12); reports round them as people do.
    exact = Decimal(numerator) / Decimal(denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def summarize(responses):
    totals = responses.aggregate(
        responses=Count("pk"),
        promoters=Count("pk", filter=PROMOTER),
        passives=Count("pk", filter=PASSIVE),
        detractors=Count("pk", filter=DETRACTOR),
        average_rating=Avg("rating"),
    )
    return ResponseSummary(**totals)


MAX_STORES = 1000  # a dropdown, not a report: more stores than this are not listed

# The distinct stores by a skip scan of the (organization, store_id, submitted_at) index:
# one index seek per store instead of reading every response (the same SQL on SQLite
# and PostgreSQL). Exact: it reads what is stored now, no registry to keep in step.
STORES_SQL = """
    WITH RECURSIVE stores(store_id, n) AS (
        SELECT (SELECT MIN(store_id) FROM questionnaires_response
                WHERE organization_id = %s AND store_id > ''), 1
        UNION ALL
        SELECT (SELECT MIN(store_id) FROM questionnaires_response
                WHERE organization_id = %s AND store_id > stores.store_id), n + 1
        FROM stores WHERE store_id IS NOT NULL AND n < %s
    )
    SELECT store_id FROM stores WHERE store_id IS NOT NULL
"""


def store_ids(organization):
    """The stores this shop's responses came from, for the store filter."""
    with connection.cursor() as cursor:
        cursor.execute(STORES_SQL, [organization.pk, organization.pk, MAX_STORES])
        return [row[0] for row in cursor.fetchall()]


def filter_conditions(filters, organization):
    """One condition per filter that is set; `from` and `to` are whole days in the shop."""
    conditions = {
        "stage": lambda stage: Q(stage=stage),
        "from": lambda day: Q(submitted_at__gte=start_of_day(organization, day)),
        "to": lambda day: Q(submitted_at__lt=start_of_day(organization, day + ONE_DAY)),
        "nps_min": lambda score: Q(nps__gte=score),
        "nps_max": lambda score: Q(nps__lte=score),
        "store": lambda store: Q(store_id=store),
        "q": search,
    }
    return [
        condition(filters[name]) for name, condition in conditions.items()
        if filters.get(name) not in (None, "")  # an NPS bound of 0 is a real filter
    ]


def search(text):
    """Responses whose e-mail or transaction id starts with `text`, as the ranges of their
    indexes read them (a "contains" search read every response of the shop). E-mails are
    stored in lower case; transaction ids are matched as typed, in upper and in lower
    case."""
    text = text.strip()
    spellings = {text, text.upper(), text.lower()}
    return starts_with("email", text.lower()) | reduce(
        operator.or_, (starts_with("transaction_id", spelling) for spelling in spellings))


def starts_with(column, prefix):
    # The range is what an index can read; startswith keeps it exact whatever the
    # collation (U+10FFFF sorts after every character in SQLite and PostgreSQL's "C").
    return Q(**{f"{column}__gte": prefix, f"{column}__lt": prefix + "\U0010ffff",
                f"{column}__startswith": prefix})


def filtered_responses(organization, filters):
    """The shop's responses matching the cleaned data of the filter form, newest first."""
    conditions = filter_conditions(filters, organization)
    responses = Response.objects.filter(*conditions, organization=organization)
    # (organization, submitted_at) is indexed: the newest page is read straight off it.
    return responses.order_by("-submitted_at")
