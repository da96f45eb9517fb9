"""The payload of `response.completed` (version 1, documented in README)."""

from kairos.events.models import timestamp


def response_completed(response):
    return {
        "response_id": str(response.pk), "stage": response.stage, "locale": response.locale,
        "source": response.source, "submitted_at": timestamp(response.submitted_at),
        "device_id": response.device_id, "answers": response.answers,
        "metadata": {"questionnaire": response.questionnaire_metadata,
                     "responder": response.responder_metadata},
    }
