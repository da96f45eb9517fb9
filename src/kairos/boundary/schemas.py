"""Input: the base of every request schema of both APIs, and the bounded types they use."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from kairos.boundary.rules import MAX_INTEGER, problems, within_rules

MAX_PAGE = 1000  # items per page of a list
MAX_OFFSET = 10**9

# A database id, a path parameter or a filter by id: never beyond a 64-bit column.
Id = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
# A short name in a path (a stage, a type id): it is only ever looked up in a table.
PathName = Annotated[str, Field(max_length=64)]


class Input(BaseModel):
    """The base of every request schema: a JSON object with only the fields it names,
    whose every value keeps the rules above.

    A plain pydantic model: ninja's Schema reads ORM objects for answers, which a
    request never is, and validates an object with extra="forbid" twice to do so.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(data, dict | BaseModel):  # pydantic's words name the class
            raise PydanticCustomError("object_type", _("must be an object"))
        return data

    @model_validator(mode="after")
    def _within_bounds(self):
        if all(within_rules(value) for value in self.__dict__.values()):
            return self
        raise ValidationError.from_exception_data(type(self).__name__, [
            InitErrorDetails(type=PydanticCustomError("input_rules", "{message}",
                                                      {"message": message}),
                             loc=path, input=None)
            for path, message in field_problems(self)])


def field_problems(model):
    for name, field in type(model).model_fields.items():
        yield from problems(getattr(model, name), (field.alias or name,))


def omittable(**constraints):
    """A field a PATCH may leave out but never set to null: it has no default to show."""
    return Field(None, json_schema_extra=forget_default, **constraints)


def forget_default(schema):
    schema.pop("default", None)


class PageQuery(Input):
    limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    """`limit` and `offset` of every list, bounded like every other input."""

    Input = PageQuery


class ErrorOut(Schema):
    """An error answer as the APIs give it (api_errors.py), for the routes that declare the
    answers only they give (a 409, the public API's own 403)."""

    detail: str
