"""{% watch_panel %} (the callbacks queue) and {% watch_button campaign %} (a campaign's
page): the watch toggles, shown to members who work callbacks."""

from django import template

from kairos.accounts.membership import current_membership
from kairos.accounts.roles import Permission
from kairos.notifications.watching import CALLBACK_TYPE, watchable_campaigns, watched_campaign_ids

register = template.Library()


def watcher(context):
    """The member looking at the page, when they may watch; else None."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or actor.user is None or not actor.can(Permission.WORK_CALLBACKS):
        return None
    return current_membership(request)


@register.inclusion_tag("notifications/watch_panel.html", takes_context=True)
def watch_panel(context):
    membership = watcher(context)
    if membership is None:
        return {"campaigns": []}
    watched = watched_campaign_ids(membership)
    campaigns = [(campaign, campaign.pk in watched)
                 for campaign in watchable_campaigns(membership.organization)]
    return {"campaigns": campaigns, "request": context["request"],
            "csrf_token": context.get("csrf_token"), "watching_any": bool(watched)}


@register.inclusion_tag("notifications/watch_button.html", takes_context=True)
def watch_button(context, campaign):
    membership = watcher(context)
    shown = (membership is not None and campaign.type == CALLBACK_TYPE
             and campaign.archived_at is None)
    return {"campaign": campaign, "shown": shown, "request": context["request"],
            "csrf_token": context.get("csrf_token"),
            "watching": shown and campaign.pk in watched_campaign_ids(membership)}
