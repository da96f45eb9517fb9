"""Building blocks for campaign tests: segments, campaigns and public submissions."""

import json

from django.test import Client

from kairos.campaigns.services import create_campaign
from kairos.segments.models import Segment

DETRACTORS = {"all": [{"field": "answers.nps", "op": "between", "value": [0, 6]}]}
PROMOTERS = {"all": [{"field": "answers.nps", "op": "between", "value": [9, 10]}]}


def segment(organization, conditions=DETRACTORS, active=True, name="Detractors"):
    return Segment.objects.create(organization=organization, name=name,
                                  conditions=conditions, active=active)


def campaign(organization, segments, **fields):
    fields = {"type": "callback_request", "title": "Call me", "active": True, **fields}
    return create_campaign(organization, fields, [s.pk for s in segments])


def submit(organization, nps=3, locale="en", device="d-1", responder=None, client=None,
           **extra):
    body = {"site_key": organization.site_keys.first().key, "stage": "checkout",
            "locale": locale, "device_id": device, "answers": {"nps": nps},
            "metadata": {"responder": responder or {}}, **extra}
    response = (client or Client()).post("/api/public/v1/responses", json.dumps(body),
                                         content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def shown_campaign_id(organization, **kwargs):
    campaign_shown = submit(organization, **kwargs)["campaign"]
    return campaign_shown and campaign_shown["campaign_id"]


def edit_data(campaign, **changes):
    """Every field of the basic information page as the browser posts it, then changes."""
    data = {
        "title": campaign.title, "segments": [s.pk for s in campaign.segments.all()],
        "active": "on" if campaign.active else "", "start_date": campaign.start_date.isoformat(),
        "end_date": "", "cap_days": "0", "cap_hours": "0", "cap_minutes": "0",
        "priority": str(campaign.priority), "languages": [],
    }
    content = {**campaign.campaign_type.default_content(), **campaign.content}
    for spec in campaign.campaign_type.fields:
        if spec.localized:
            for locale in ("en", "el"):
                data[f"content__{spec.name}__{locale}"] = content[spec.name][locale]
        else:
            data[f"content__{spec.name}"] = content[spec.name]
    data.update(changes)
    return {name: value for name, value in data.items() if value not in ("", None)}
