"""A completed questionnaire as the APIs receive it: from the widget, a shop's server, or a
decision preview."""

from typing import Any

from ninja import Field

from kairos.boundary.schemas import Input
from kairos.languages import Locale


class MetadataIn(Input):
    """The order (`questionnaire`) and the customer (`responder`); nothing else."""

    questionnaire: dict[str, Any] = Field(default_factory=dict)
    responder: dict[str, Any] = Field(default_factory=dict)


class SubmissionIn(Input):
    """A completed questionnaire, as the widget or a shop's server sends it."""

    stage: str = Field(max_length=20)
    locale: Locale | None = None
    device_id: str = Field("", max_length=100)
    answers: dict[str, Any]
    metadata: MetadataIn = Field(default_factory=MetadataIn)
    # The same key again (a retry) answers the first submission instead of storing twice.
    idempotency_key: str | None = Field(None, max_length=100)
