"""How campaigns perform, and how they get in each other's way."""

import datetime
import operator
from dataclasses import dataclass
from functools import partial, reduce

from django.core.cache import cache
from django.db.models import BigIntegerField, Case, Count, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from kairos.accounts.models import Organization
from kairos.accounts.shop_time import days_span, shop_today, shop_zone
from kairos.campaigns.configuration import engine_campaign, shop_configuration
from kairos.campaigns.models import Action, Campaign, Impression
from kairos.campaigns.services import status
from kairos.engine.conflicts import always_ahead
from kairos.engine.rules import validate
from kairos.segments.fields import field_types
from kairos.segments.services import segment_filter, window


def engagement(impressions, actions):
    return round(actions / impressions, 4) if impressions else 0.0


def per_day(queryset, time_field, tz):
    rows = (queryset.annotate(day=TruncDate(time_field, tzinfo=tz)).values("day")
            .annotate(n=Count("pk")).values_list("day", "n"))
    return dict(rows)


def performance(campaign, date_from, date_to):
    """Impressions, actions and engagement per day (shop time), and their totals; control
    impressions (customers held out) are counted apart, never as impressions."""
    tz = shop_zone(campaign.organization)
    start, end = days_span(campaign.organization, date_from, date_to)
    recorded = Impression.objects.filter(campaign=campaign, shown_at__gte=start,
                                         shown_at__lt=end)
    # Dismissals are not engagement: they are the customer saying "no, thanks".
    acted = Action.objects.filter(campaign=campaign, created_at__gte=start,
                                  created_at__lt=end).exclude(type="dismiss")
    impressions = per_day(recorded.filter(control=False), "shown_at", tz)
    held_out = per_day(recorded.filter(control=True), "shown_at", tz)
    actions = per_day(acted, "created_at", tz)
    days = [date_from + datetime.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    rows = [{"date": day, "impressions": impressions.get(day, 0),
             "control_impressions": held_out.get(day, 0), "actions": actions.get(day, 0),
             "engagement_rate": engagement(impressions.get(day, 0), actions.get(day, 0))}
            for day in days]
    total_shown, total_acted = sum(impressions.values()), sum(actions.values())
    return {"from": date_from, "to": date_to, "impressions": total_shown,
            "control_impressions": sum(held_out.values()), "actions": total_acted,
            "engagement_rate": engagement(total_shown, total_acted), "days": rows}


@dataclass
class Conflict:
    other: Campaign
    shared_customers: int  # responses of the last 30 days both campaigns would target
    kind: str  # "never_wins" | "outranked_always" | "tie" | "overlap" | "outranks"
    message: str


def ranks_before(a, b):
    return (a.priority, a.created_at, a.pk or MAX_ID) < (b.priority, b.created_at,
                                                         b.pk or MAX_ID)


MAX_ID = 2**63  # a draft not yet saved ranks after every saved campaign of its priority


def conflicts(campaign, segments=None, days=30):
    """Other live campaigns sharing this one's customers: certain verdicts from the rules
    (engine/conflicts.py), then what the recent responses show. `campaign` may be a draft
    not yet saved, with the `segments` it would target."""
    organization = campaign.organization
    saved = segments is None and campaign.pk is not None
    segments = list(campaign.segments.all()) if segments is None else segments
    today = shop_today(organization)
    catalog = field_types(organization)
    recent = window(organization, today - datetime.timedelta(days=days - 1), today)
    mine = audience(segments, catalog, today)
    ahead = {c.id for c in always_ahead_of(campaign, segments, today)}
    others = rivals(campaign, today)
    count = partial(shared_counts, recent.filter(mine), others, catalog, today)
    reach, shared = kept_overlap(campaign, today, count) if saved else count()
    found = [judge(campaign, other, shared[other.pk], reach, other.pk in ahead)
             for other in others
             if shared[other.pk] or other.pk in ahead or shares_segment(segments, other)]
    return reach, found


# A saved campaign's overlap with its rivals, counted over its recent responses, is kept
# this long: counting reads every response of its segments in the window (~0.5 s at a
# million responses), and its page shows it at every view. A change of the shop's
# configuration (a campaign, a segment, a priority) recounts at once: its version is in
# the key, read fresh.
OVERLAP_KEPT_SECONDS = 15 * 60


def kept_overlap(campaign, today, count):
    """count() of a saved campaign, as counted at most OVERLAP_KEPT_SECONDS ago."""
    version = (Organization.objects.filter(pk=campaign.organization_id)
               .values_list("config_version", flat=True).get())
    key = f"overlap:{campaign.organization_id}:{version}:{campaign.pk}:{today}"
    counted = cache.get(key)
    if counted is None:
        counted = count()
        cache.set(key, counted, OVERLAP_KEPT_SECONDS)
    return counted


MASK_BITS = 60  # segments per bitmask column: well inside a signed 64-bit integer


def shared_counts(reached, others, catalog, today):
    """(this campaign's recent responses, {rival id: those the rival targets too}) in one
    grouped query whose cost does not grow with the number of campaigns: each response
    gets a bitmask of the rivals' segments it is in (one test per segment, however many
    campaigns share it), the responses are counted per bitmask, and a rival's shared
    customers are the counts of the bitmasks that meet its segments."""
    segments = {s.pk: s for other in others for s in other.segments.all()}
    bit = {pk: number for number, pk in enumerate(sorted(segments))}
    columns = {}
    for first in range(0, len(bit), MASK_BITS):
        chunk = sorted(segments)[first:first + MASK_BITS]
        columns[f"mask_{first // MASK_BITS}"] = reduce(operator.add, (
            Case(When(audience([segments[pk]], catalog, today),
                      then=Value(1 << (bit[pk] - first))),
                 default=Value(0), output_field=BigIntegerField())
            for pk in chunk))
    names = list(columns)
    rows = (reached.annotate(**columns).values(*names).annotate(n=Count("pk")).order_by()
            if names else [])
    groups = [(sum(row[name] << (MASK_BITS * i) for i, name in enumerate(names)), row["n"])
              for row in rows]
    reach = sum(n for _mask, n in groups) if names else reached.count()
    shared = {}
    for other in others:
        wanted = sum(1 << bit[s.pk] for s in other.segments.all())
        shared[other.pk] = sum(n for mask, n in groups if mask & wanted)
    return reach, shared


def always_ahead_of(campaign, segments, today):
    """The campaigns that are always shown first to every customer of this one."""
    book = shop_configuration(campaign.organization).book
    draft = engine_campaign(campaign, [s.pk for s in segments])
    return always_ahead(book, draft, today)


def audience(segments, catalog, today):
    """The customers of these segments as a filter: the active ones with a valid rule."""
    q = Q(pk__isnull=True)
    for segment in segments:
        if segment.active and not validate(segment.conditions or {"all": []}, catalog):
            q |= segment_filter(segment.conditions, segment.questionnaire_id, catalog, today)
    return q


def rivals(campaign, today):
    others = (Campaign.objects.current().filter(organization=campaign.organization, active=True)
              .exclude(pk=campaign.pk).prefetch_related("segments"))
    return [o for o in others if status(o, today) in ("live", "scheduled")
            and languages_meet(campaign, o)]


def languages_meet(a, b):
    return not a.languages or not b.languages or bool(set(a.languages) & set(b.languages))


def shares_segment(segments, other):
    return bool({s.pk for s in segments} & {s.pk for s in other.segments.all()})


def judge(campaign, other, shared, reach, always_first):
    words = {"other": other.title, "priority": other.priority, "shared": shared,
             "reach": reach}
    if always_first:
        return Conflict(other, shared, "never_wins", never_wins_message(campaign, other)
                        % words)
    if ranks_before(other, campaign) and reach and shared >= reach:
        return Conflict(other, shared, "outranked_always", _(
            "“%(other)s” (priority %(priority)s) took all %(reach)s recent customers of this "
            "campaign: it is shown only when “%(other)s” is held back for a customer (its "
            "frequency cap, hours or capacity).") % words)
    if other.priority == campaign.priority:
        winner = other if ranks_before(other, campaign) else campaign
        return Conflict(other, shared, "tie", _(
            "Same priority as “%(other)s”: for shared customers the campaign created first "
            "wins, here “%(winner)s”.") % {**words, "winner": winner.title or _("this one")})
    if ranks_before(other, campaign):
        return Conflict(other, shared, "overlap", _(
            "“%(other)s” (priority %(priority)s) wins for %(shared)s of this campaign's "
            "recent customers.") % words)
    return Conflict(other, shared, "outranks", _(
        "This campaign wins over “%(other)s” (priority %(priority)s) for %(shared)s shared "
        "recent customers.") % words)


def never_wins_message(campaign, other):
    if other.priority == campaign.priority:
        return _("Same priority as “%(other)s”, which was created first and so wins every "
                 "tie; it is shown to every customer of this campaign's segments: this "
                 "campaign can never be shown.")
    return _("“%(other)s” (priority %(priority)s) is shown first to every customer of this "
             "campaign's segments: this campaign can never be shown.")
