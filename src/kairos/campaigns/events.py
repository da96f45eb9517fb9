"""Payloads of `campaign.shown` and `action.created` (version 1, documented in README)."""

from kairos.events.models import timestamp


def campaign_shown(response, shown):
    impression = shown.impression
    return {"campaign_id": shown.campaign.pk, "impression_id": str(impression.pk),
            "type": shown.campaign.type, "title": shown.campaign.title,
            "response_id": str(response.pk), "shown_at": timestamp(impression.shown_at),
            "locale": impression.locale, "coupon_code": impression.coupon_code}


def action_created(action):
    return {"action_id": str(action.pk), "type": action.type,
            "impression_id": str(action.impression_id), "campaign_id": action.campaign_id,
            "response_id": str(action.impression.response_id),
            "created_at": timestamp(action.created_at), "data": action.data}
