from typing import Any, Literal

from ninja import Field, Schema

Locale = Literal["el", "en"]


class MetadataIn(Schema):
    questionnaire: dict[str, Any] = Field(default_factory=dict)
    responder: dict[str, Any] = Field(default_factory=dict)


class SubmissionIn(Schema):
    """A completed questionnaire, as the widget or a shop's server sends it."""

    stage: str = Field(max_length=20)
    locale: Locale | None = None
    device_id: str = Field("", max_length=100)
    answers: dict[str, Any]
    metadata: MetadataIn = Field(default_factory=MetadataIn)


class PublicSubmissionIn(SubmissionIn):
    site_key: str = Field(max_length=64)


class CampaignOut(Schema):
    campaign_id: int
    impression_id: str
    type: str
    content: dict[str, Any]


class SubmissionOut(Schema):
    response_id: str
    campaign: CampaignOut | None


class OptionOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    key: str
    type: str
    label: str
    required: bool
    multiple: bool
    options: list[OptionOut]
    min: int | None = None
    max: int | None = None


class QuestionnaireOut(Schema):
    questionnaire_id: int
    version: int
    stage: str
    locale: str
    title: str
    questions: list[QuestionOut]


class ErrorOut(Schema):
    detail: str
