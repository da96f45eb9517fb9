"""The payload of `response.completed` (version 1, documented in README)."""


def response_completed(response, campaign=None):
    """`campaign`: what the customer was shown (campaigns.events.campaign_summary) or None."""
    return {
        "response_id": str(response.pk), "stage": response.stage, "locale": response.locale,
        "source": response.source, "submitted_at": response.submitted_at,
        "device_id": response.device_id, "answers": response.answers,
        "metadata": {"questionnaire": response.questionnaire_metadata,
                     "responder": response.responder_metadata},
        "campaign": campaign,
    }
