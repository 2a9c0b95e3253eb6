"""The OpenAPI schema class: drf-spectacular's, plus the error answers of mhc.api_base.

Not in api_base: DRF imports api_base (for the pagination class) while it builds its generic
views, and drf-spectacular imports those views, so the two modules would import each other.
"""

from django.core.validators import RegexValidator
from django.db import DatabaseError
from django_filters import ChoiceFilter
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField(help_text="What went wrong, in words a person can read.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: {field: [messages]}; nested fields as `field.sub` or `field.0`.",
    )


ERROR_DESCRIPTIONS = {
    "400": "Bad input: `detail` says what is wrong (and `errors` which fields). Nothing was changed. "
    "Any operation refuses a query string with a NUL character.",
    "401": "Not signed in: no session and no valid `Authorization: Token <key>` header.",
    "403": "Refused: a session write without the CSRF token, or a user who may not do this.",
    "404": "Unknown: nobody or nothing matches the address.",
}


WITHOUT_NUL = r"^[^\u0000]*$"
NON_BLANK_WITHOUT_NUL = r"^[^\u0000]*[^\s\u0000\u001c-\u001f\u0085][^\u0000]*$"


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the errors every operation can answer with.

    400, 401 and 403 apply everywhere (everything takes a query string and requires login), 404
    wherever the path names something. A status a view documents without a body (say
    `409: OpenApiResponse(description=...)`) gets the error body too.
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(field, serializers.CharField):
            return schema
        if schema.get("pattern", "").endswith("\\Z"):
            schema["pattern"] = _anchored_at_end(schema["pattern"])
        for validator in field.validators:
            if isinstance(validator, RegexValidator) and not validator.inverse_match:
                schema.setdefault("pattern", _anchored_at_end(validator.regex.pattern))
        if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
            # DRF refuses NUL characters, and trims a string before refusing it as blank (Python
            # trims a few characters JSON Schema's \s does not know).
            if field.trim_whitespace and not field.allow_blank:
                schema["pattern"] = NON_BLANK_WITHOUT_NUL
            else:
                schema["pattern"] = WITHOUT_NUL
        return schema

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        names_something = any(p["in"] == "path" for p in operation.get("parameters", []))
        for code in ("400", "401", "403", "404") if names_something else ("400", "401", "403"):
            responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                response["content"] = self._get_response_for_code(ErrorSerializer, code)["content"]
        operation["responses"] = dict(sorted(responses.items()))
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            free_text = schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema)
            if parameter["in"] == "query" and free_text:
                schema["pattern"] = WITHOUT_NUL  # mhc.middleware refuses NUL in a query string
        body = operation.get("requestBody")
        if body and any(_needs_content(c.get("schema", {})) for c in body.get("content", {}).values()):
            body["required"] = True  # the view refuses a request without a body
        return operation


class FilterSetParameters(DjangoFilterExtension):
    """A list's FilterSet parameters as drf-spectacular describes them, with "" among the values
    of every optional choice: a FilterSet reads an empty parameter (`?type=`, what a page's "Any"
    sends) as no filter, so the schema must not call it a wrong value. A choice whose values are
    a callable (the directory's filters, some of them rows the owner adds) lists the values they
    have when the schema is served, as `attributes.schema` does for the attribute keys."""

    priority = 1  # chosen over drf-spectacular's own extension for DjangoFilterBackend

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, ChoiceFilter) and not filter_field.extra["required"]:
            values = _called_choices(filter_field)
            for parameter in parameters:
                schema = parameter["schema"]
                if values is not None:
                    schema["enum"] = values
                if "enum" in schema:  # not when the values could not be read: any string then
                    schema["enum"] = [*schema["enum"], ""]
                parameter["description"] = f"{parameter.get('description', '')}\n\nEmpty means any.".strip()
        return parameters


def _needs_content(schema: dict) -> bool:
    """Whether an inline request schema requires something (a field, or at least one key)."""
    return bool(schema.get("required")) or schema.get("minProperties", 0) >= 1


def _anchored_at_end(pattern: str) -> str:
    """A validator's regex, its end anchor (\\Z, or $) written so that JSON Schema and Python's
    re both read it as the end of the text ("$" would let a final newline through in re)."""
    for anchor in ("\\Z", "$"):
        if pattern.endswith(anchor) and not pattern.endswith("\\" + anchor):
            return pattern[: -len(anchor)] + r"(?![\s\S])"
    return pattern


def _called_choices(filter_field: ChoiceFilter) -> list[str] | None:
    """The values of a choice filter whose choices are a callable, or None (choices given as a
    list, or rows not readable yet: system checks build the schema before `migrate`)."""
    choices = filter_field.extra["choices"]
    if not callable(choices):
        return None
    try:
        return [value for value, _ in choices()]
    except DatabaseError:
        return None
