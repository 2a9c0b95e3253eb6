"""Errors services raise, which every interface (API, pages, admin, commands) knows how to show.

Bad input is Django's own ValidationError (field-keyed where a field is to blame). The one extra
kind is a conflict with what is already stored, which the API answers with 409.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class Conflict(Exception):
    """The request is well-formed but clashes with stored data (a duplicate, a protected row)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; errors not tied to a field go under "detail"."""
    if hasattr(error, "error_dict"):
        # A model's clean() and constraints report "__all__" (NON_FIELD_ERRORS): no field to name.
        return {
            ("detail" if field == NON_FIELD_ERRORS else field): [
                str(m) for m in ValidationError(errs).messages
            ]
            for field, errs in error.error_dict.items()
        }
    return {"detail": [str(m) for m in error.messages]}


__all__ = ["Conflict", "ValidationError", "messages_of"]
