"""{% watch_panel %} (the callbacks queue) and {% watch_button campaign %} (a campaign's
page): the watch toggles, shown to members who work callbacks."""

from django import template

from kairos.accounts.roles import Permission
from kairos.notifications.watching import CALLBACK_TYPE, campaigns_to_watch

register = template.Library()


def watcher(context):
    """The member (an Actor) looking at the page, when they may watch; else None."""
    actor = getattr(context.get("request"), "actor", None)
    if actor is None or actor.user is None or not actor.can(Permission.WORK_CALLBACKS):
        return None
    return actor


@register.inclusion_tag("notifications/watch_panel.html", takes_context=True)
def watch_panel(context):
    actor = watcher(context)
    if actor is None:
        return {"campaigns": []}
    campaigns = [(campaign, campaign.watched)
                 for campaign in campaigns_to_watch(actor.organization, actor.user)]
    return {"campaigns": campaigns, "request": context["request"],
            "csrf_token": context.get("csrf_token"),
            "watching_any": any(watched for _campaign, watched in campaigns)}


@register.inclusion_tag("notifications/watch_button.html", takes_context=True)
def watch_button(context, campaign):
    actor = watcher(context)
    shown = (actor is not None and campaign.type == CALLBACK_TYPE
             and campaign.archived_at is None)
    watched = shown and campaigns_to_watch(actor.organization, actor.user).filter(
        pk=campaign.pk, watched=True).exists()
    return {"campaign": campaign, "shown": shown, "request": context["request"],
            "csrf_token": context.get("csrf_token"), "watching": watched}
