"""What every API view shares: the error shape, pagination, the exception handler and the JSON
renderer.

Every error body has a human-readable `detail`; field errors are also listed under `errors`
(`{"detail": "username: Enter a valid username …", "errors": {"username": [...]}}`), so a client
can show the message as it is and a script can tell which field was wrong.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import pagination, renderers, serializers, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from mhc.exceptions import Conflict, messages_of

log = logging.getLogger(__name__)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=&offset=` paging answered as {count, next, previous, results}.

    DRF quietly pages from the start when `limit` or `offset` is not a number; here that is a 400
    naming the parameter, so a script with a paging bug hears about it. A limit above the
    largest page is cut to it, as in DRF.
    """

    default_limit = 50
    max_limit = 500

    def get_limit(self, request) -> int:
        limit = _whole_number(request, self.limit_query_param, minimum=1, default=self.default_limit)
        return min(limit, self.max_limit)

    def get_offset(self, request) -> int:
        return _whole_number(request, self.offset_query_param, minimum=0, default=0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Number of results to return per page ({self.default_limit} when not given; "
                    f"more than {self.max_limit} gives {self.max_limit})."
                )
            else:
                parameter["schema"]["minimum"] = 0
        return parameters


def _whole_number(request, name: str, *, minimum: int, default: int) -> int:
    """The query parameter `name` as a whole number of at least `minimum`; `default` if absent."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise DRFValidationError({name: f"Enter a whole number of at least {minimum}."})
    return number


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false, nothing else: DRF's BooleanField also takes 0, 1, "yes", "on" …,
    which the schema (type: boolean) does not allow."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, except that text UTF-8 cannot encode is escaped instead of failing.

    JSON lets a request carry a lone surrogate (`"\\ud800"`). Fields refuse it, but messages that
    quote the input (DRF's '"…" is not a valid choice.', a bad key named under `errors`) hold
    it, and encoding such an answer as UTF-8 failed with a 500. That answer is written with
    every non-ASCII character escaped (`\\ud800`), which is still the same JSON.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True  # this instance serves this one response
            return super().render(data, accepted_media_type, renderer_context)


def _flatten(data, field: str = "detail") -> dict[str, list[str]]:
    """DRF's (possibly nested) error data as {"field" or "field.sub": [messages]}."""
    if isinstance(data, dict):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            if key == "non_field_errors":
                name = field
            else:
                name = str(key) if field == "detail" else f"{field}.{key}"
            flat.update(_flatten(value, name))
        return flat
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        flat = {}
        for index, item in enumerate(data):
            flat.update(_flatten(item, f"{field}.{index}"))
        return flat
    items = data if isinstance(data, list) else [data]
    return {field: [str(item) for item in items]}


def error_body(errors: dict[str, list[str]]) -> dict:
    """The JSON body for field errors: a readable `detail` naming each field, and `errors`."""
    lines = [
        (" ".join(messages) if field == "detail" else f"{field}: {' '.join(messages)}")
        for field, messages in errors.items()
    ]
    body: dict = {"detail": " ".join(lines) or "Invalid input."}
    if set(errors) - {"detail"}:
        body["errors"] = errors
    return body


def exception_handler(exc, context):
    """DRF's handler, plus domain errors from services, so no input ever ends in a 500."""
    if isinstance(exc, DjangoValidationError):
        return Response(error_body(messages_of(exc)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return Response(
            {"detail": f"The request is too large: the server accepts bodies of up to {limit:g} MB."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        log.warning("Integrity error answered as 409: %s", exc)
        return Response(
            {"detail": "This change conflicts with data already stored."}, status=status.HTTP_409_CONFLICT
        )
    # Imported here, not at the top: rest_framework.views reads the renderer and pagination
    # settings, which name classes of this module, as it is imported. Whichever of the two is
    # imported first (DRF's system checks import this module before any view does, depending
    # on the order the checks run in) must not need the other half-loaded.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, DRFValidationError):
        response.data = error_body(_flatten(exc.detail))
    return response


def use_strict_json_scalars() -> None:
    """Make DRF's CharField take only strings and IntegerField only numbers, as the schema says.

    DRF coerces: a CharField takes 123 as "123", an IntegerField takes "12". The API reads JSON
    only (uploads take multipart, where every value is text and read by other fields), so a
    number sent for a string, or text for a number, is the client's mistake and a 400 names it.
    Applied once, at start-up (MhcConfig.ready), to every serializer of every app.
    """
    char_to_internal = serializers.CharField.to_internal_value
    integer_to_internal = serializers.IntegerField.to_internal_value

    def char_to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return char_to_internal(self, data)

    def integer_to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return integer_to_internal(self, data)

    serializers.CharField.to_internal_value = char_to_internal_value
    serializers.IntegerField.to_internal_value = integer_to_internal_value
