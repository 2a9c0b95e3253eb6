"""The optional "why" every change can carry, as the API takes it: a body field for writes with a
body, a query parameter for DELETE."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

WHY_MAX_LENGTH = 1000
WHY_HELP = "Optional: why this change was made, kept with it in the history."
WHY_PARAMETER = OpenApiParameter("why", str, description=WHY_HELP)


class WhyField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", WHY_MAX_LENGTH)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("help_text", WHY_HELP)
        kwargs.setdefault("write_only", True)
        super().__init__(**kwargs)


def why_of(request) -> str:
    """The `why` query parameter of a request (a DELETE has no body to carry it)."""
    try:
        return WhyField().run_validation(request.query_params.get("why", ""))
    except ValidationError as error:
        raise ValidationError({"why": error.detail}) from None
