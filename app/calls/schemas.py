"""The call configuration a process owner writes (bpmn/calls/*.json), checked before use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.auth.models import ORG_TYPES

APPLICATION_OBJECTS = ("theme_network", "growth_zone")


class AwareDateTime(fields.String):
    """An ISO 8601 time that must carry its UTC offset (kept as the string the engine reads)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("Not an ISO 8601 date and time.") from None
        if moment.tzinfo is None:
            raise ValidationError("Give the time with its UTC offset, e.g. +03:00.")
        return text


class WebinarSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1))
    starts_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True)
    location = fields.String(required=True)


class CriterionSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    title = fields.String(required=True)


class CallConfigSchema(Schema):
    class Meta:
        unknown = "include"

    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{2,99}$"))
    title = fields.Dict(
        keys=fields.String(validate=validate.OneOf(("fi", "sv", "en"))), required=True
    )
    budget_total = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    regional_city_reserve = fields.Integer(
        strict=True, load_default=0, validate=validate.Range(min=0)
    )
    idea_deadline = AwareDateTime(required=True)
    application_deadline = AwareDateTime(required=True)
    rehearsal_clock_start = AwareDateTime(load_default=None)
    webinar = fields.Nested(WebinarSchema, required=True)
    application_objects = fields.List(
        fields.String(validate=validate.OneOf(APPLICATION_OBJECTS)), required=True
    )
    eligible_applicant_types = fields.List(fields.String(validate=validate.OneOf(ORG_TYPES)))
    evaluation_criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1)
    )
    evaluators = fields.List(fields.String(), required=True, validate=validate.Length(min=1))

    @validates_schema
    def check_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["regional_city_reserve"] > data["budget_total"]:
            raise ValidationError("More than the whole budget.", "regional_city_reserve")
        idea = datetime.fromisoformat(data["idea_deadline"])
        if datetime.fromisoformat(data["application_deadline"]) <= idea:
            raise ValidationError("Must be after the idea deadline.", "application_deadline")


def load_call_config(raw: dict[str, Any]) -> dict[str, Any]:
    """The checked configuration; raises marshmallow's ValidationError with messages per field."""
    return CallConfigSchema().load(raw)
