"""Admin REST API: /api/v1/events, the outbox for polling tools (Zapier, Make, n8n)."""

from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kairos.accounts.api_auth import require
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Input
from kairos.events.catalogue import EVENT_TYPES, PUBLIC_TYPES
from kairos.events.models import Event
from kairos.personal_data import shown_payload

router = Router(tags=["events"])
MAX_CURSOR = 2**63 - 1


class EventOut(Schema):
    id: str = Field(description="evt_…: the same as the webhook-id of its deliveries")
    type: str
    version: int
    created_at: str
    data: dict[str, Any]


class EventPage(Schema):
    items: list[EventOut]
    next: str = Field(description="pass as `after` to get the events that follow")


class EventFilters(Input):
    after: str | None = Field(None, description="the `next` cursor of the previous page")
    limit: int = Field(100, ge=1, le=500)
    type: str | None = Field(None, description="only events of this type")


class EventTypeOut(Schema):
    name: str
    version: int
    description: str


def cursor(value):
    if value is None:
        return 0
    if not value.isascii() or not value.isdigit() or int(value) > MAX_CURSOR:
        raise HttpError(422, "after: not a cursor this API gave")
    return int(value)


@router.get("/events", response=EventPage)
def list_events(request, filters: Query[EventFilters]):
    """The shop's events, oldest first, as the worker dispatched them (within seconds)."""
    actor = require(request, Permission.VIEW_REPORTS)
    after = cursor(filters.after)
    if filters.type is not None and filters.type not in PUBLIC_TYPES:
        raise HttpError(422, f"type: not one of {', '.join(PUBLIC_TYPES)}")
    events = Event.objects.filter(organization=actor.organization, position__gt=after,
                                  type__in=[filters.type] if filters.type else PUBLIC_TYPES)
    page = list(events.order_by("position")[:filters.limit])
    last = page[-1].position if page else after
    return {"items": [{**event.envelope(), "data": shown_payload(actor, event.data)}
                      for event in page], "next": str(last)}


@router.get("/event-types", response=list[EventTypeOut])
def list_event_types(request):
    """Every event type a webhook can subscribe to, with its payload version."""
    return [{"name": name, "version": EVENT_TYPES[name].version,
             "description": str(EVENT_TYPES[name].description)} for name in PUBLIC_TYPES]
