"""How campaigns perform, and how they get in each other's way."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from kairos.accounts.shop_time import days_span, shop_today, shop_zone
from kairos.campaigns.models import Action, Campaign, Impression
from kairos.campaigns.services import status
from kairos.engine.rules import validate
from kairos.segments.fields import field_types
from kairos.segments.services import segment_filter, window

MAX_PERFORMANCE_DAYS = 3 * 366  # one row per day: a range stays a page, not a download


def engagement(impressions, actions):
    return round(actions / impressions, 4) if impressions else 0.0


def per_day(queryset, time_field, tz):
    rows = (queryset.annotate(day=TruncDate(time_field, tzinfo=tz)).values("day")
            .annotate(n=Count("pk")).values_list("day", "n"))
    return dict(rows)


def performance(campaign, date_from, date_to):
    """Impressions, actions and engagement per day (shop time), and their totals."""
    tz = shop_zone(campaign.organization)
    start, end = days_span(campaign.organization, date_from, date_to)
    shown = Impression.objects.filter(campaign=campaign, shown_at__gte=start, shown_at__lt=end)
    # Dismissals are not engagement: they are the customer saying "no, thanks".
    acted = Action.objects.filter(campaign=campaign, created_at__gte=start,
                                  created_at__lt=end).exclude(type="dismiss")
    impressions, actions = per_day(shown, "shown_at", tz), per_day(acted, "created_at", tz)
    days = [date_from + datetime.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    rows = [{"date": day, "impressions": impressions.get(day, 0), "actions": actions.get(day, 0),
             "engagement_rate": engagement(impressions.get(day, 0), actions.get(day, 0))}
            for day in days]
    total_shown, total_acted = sum(impressions.values()), sum(actions.values())
    return {"from": date_from, "to": date_to, "impressions": total_shown,
            "actions": total_acted, "engagement_rate": engagement(total_shown, total_acted),
            "days": rows}


def totals(campaigns):
    """{campaign id: (impressions, actions)} for a list page, in two queries."""
    ids = [c.pk for c in campaigns]
    shown = dict(Impression.objects.filter(campaign_id__in=ids).values("campaign_id")
                 .annotate(n=Count("pk")).values_list("campaign_id", "n"))
    acted = dict(Action.objects.filter(campaign_id__in=ids).exclude(type="dismiss")
                 .values("campaign_id").annotate(n=Count("pk")).values_list("campaign_id", "n"))
    return {i: (shown.get(i, 0), acted.get(i, 0)) for i in ids}


@dataclass
class Conflict:
    other: Campaign
    shared_customers: int  # responses of the last 30 days both campaigns would target
    kind: str  # "outranked_always" | "tie" | "overlap" | "outranks"
    message: str


def ranks_before(a, b):
    return (a.priority, a.created_at, a.pk) < (b.priority, b.created_at, b.pk)


def conflicts(campaign, days=30):
    """Other live campaigns sharing this one's customers, judged on recent responses."""
    organization = campaign.organization
    today = shop_today(organization)
    catalog = field_types(organization)
    recent = window(organization, today - datetime.timedelta(days=days - 1), today)
    mine = audience(campaign, catalog, today)
    reach = recent.filter(mine).count()
    found = []
    for other in rivals(campaign, today):
        theirs = audience(other, catalog, today)
        shared = recent.filter(mine & theirs).count()
        if shared or shares_segment(campaign, other):
            found.append(judge(campaign, other, shared, reach))
    return reach, found


def audience(campaign, catalog, today):
    """The campaign's customers as a filter: its active segments with a valid rule."""
    q = Q(pk__isnull=True)
    for segment in campaign.segments.all():
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


def shares_segment(a, b):
    return bool({s.pk for s in a.segments.all()} & {s.pk for s in b.segments.all()})


def judge(campaign, other, shared, reach):
    name = f"“{other.title}” (priority {other.priority})"
    if other.priority == campaign.priority:
        winner = other if ranks_before(other, campaign) else campaign
        return Conflict(other, shared, "tie",
                        f"Same priority as {name}: for shared customers the campaign created "
                        f"first wins, here “{winner.title}”.")
    if ranks_before(other, campaign) and reach and shared >= reach:
        return Conflict(other, shared, "outranked_always",
                        f"{name} covers all {reach} recent customers of this campaign with a "
                        f"better priority: this campaign can never be shown (unless "
                        f"{other.title} is frequency-capped for them).")
    if ranks_before(other, campaign):
        return Conflict(other, shared, "overlap",
                        f"{name} wins for {shared} of this campaign's recent customers.")
    return Conflict(other, shared, "outranks",
                    f"This campaign wins over {name} for {shared} shared recent customers.")
