"""The public API's own request and answer bodies (the widget's)."""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from kairos.boundary.schemas import Input
from kairos.campaigns.types import ACTION_TYPES
from kairos.questionnaires.schemas import SubmissionIn


class PublicSubmissionIn(SubmissionIn):
    site_key: str = Field(max_length=64)
    # The widget sends the types it has a view for, so a campaign it cannot show is
    # never chosen (nor recorded as shown). Absent: every type.
    campaign_types: list[Annotated[str, Field(max_length=32)]] | None = Field(
        None, max_length=50)


class CampaignOut(Schema):
    campaign_id: int
    impression_id: str
    type: str
    title: str
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


class QuestionnaireQuery(Input):
    site_key: str = Field(max_length=64)
    locale: str | None = Field(None, max_length=10)  # checked by the route, naming them


class ActionHeaders(Input):
    # The widget sends the key in the body; a shop's server may send the header instead.
    idempotency_key: str | None = Field(None, alias="Idempotency-Key", max_length=100)


class ActionIn(Input):
    """What the customer did with the campaign; fields by action type."""

    site_key: str = Field(max_length=64)
    type: Literal[ACTION_TYPES]  # every campaign type's actions (campaigns/types)
    phone_number: str | None = Field(None, max_length=40)
    preferred_time: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=1000)
    # Only JSON true is consent: "yes" or 1 must never be taken as the customer's word.
    consent: StrictBool | None = None
    friend_email: str | None = Field(None, max_length=254)
    idempotency_key: str | None = Field(None, max_length=100)


class ActionOut(Schema):
    action_id: str
