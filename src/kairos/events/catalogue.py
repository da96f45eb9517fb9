"""Every event type Kairos emits, with the version of its payload (documented in README).

A payload changes only by adding fields; a change that removes or renames one bumps the
type's version, so a receiver can tell which shape it holds.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    name: str
    version: int
    description: str
    public: bool = True  # offered to webhooks and the events API; else internal only


TYPES = [
    EventType("response.completed", 1, _("A customer completed a questionnaire")),
    EventType("campaign.shown", 1, _("A campaign was shown to a customer")),
    EventType("action.created", 1,
              _("A customer acted on a campaign: a callback request, a click, a referral or "
                "a dismissal")),
    EventType("callback.created", 1, _("A customer asked to be called back")),
    EventType("callback.updated", 1, _("A callback request changed status or assignee")),
    EventType("webhook.disabled", 1, _("A webhook was disabled"), public=False),
]
EVENT_TYPES = {event_type.name: event_type for event_type in TYPES}
PUBLIC_TYPES = [event_type.name for event_type in TYPES if event_type.public]


def event_type(name):
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown event type {name!r}: add it to the catalogue") from None
