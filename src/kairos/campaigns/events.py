"""Payloads of `campaign.shown` and `action.created` (version 1, documented in README)."""

from kairos.questionnaires.events import response_completed


def campaign_summary(shown):
    return {"campaign_id": shown.campaign.pk, "impression_id": str(shown.impression.pk),
            "type": shown.campaign.type, "title": shown.campaign.title}


def response_events(response, shown):
    """The events of a completed questionnaire, and of the campaign it showed."""
    if shown is None:
        return [("response.completed", response_completed(response))]
    impression = shown.impression
    return [
        ("response.completed", response_completed(response, campaign_summary(shown))),
        ("campaign.shown", {**campaign_summary(shown), "response_id": str(response.pk),
                            "shown_at": impression.shown_at,
                            "locale": impression.locale,
                            "coupon_code": impression.coupon_code}),
    ]


def action_created(action):
    return {"action_id": str(action.pk), "type": action.type,
            "impression_id": str(action.impression_id), "campaign_id": action.campaign_id,
            "response_id": str(action.impression.response_id),
            "created_at": action.created_at, "data": action.data}
