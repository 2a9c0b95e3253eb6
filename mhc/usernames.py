"""Platform usernames: how they are normalised and which are valid.

A username is stored lower-case and must match `^[a-z0-9_]{1,64}$` after lower-casing (the
platform's own rule). Every way in — API, pages, admin, commands — goes through
`normalize_username`, so a bad name is a clear ValidationError, never a 500.
"""

import re

from django.core.exceptions import ValidationError

USERNAME_PATTERN = r"[a-z0-9_]{1,64}"
USERNAME_RE = re.compile(rf"^{USERNAME_PATTERN}$")
INVALID_USERNAME_MESSAGE = "Enter a valid username: 1 to 64 letters, digits or underscores."


def normalize_username(raw: object) -> str:
    """The stored form of a username (trimmed, lower-case), or ValidationError if it is not one."""
    if not isinstance(raw, str):
        raise ValidationError(INVALID_USERNAME_MESSAGE, code="invalid_username")
    username = raw.strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise ValidationError(INVALID_USERNAME_MESSAGE, code="invalid_username")
    return username


def validate_username(value: str) -> None:
    """Model-field validator: the value must already be a normalised username."""
    if not isinstance(value, str) or not USERNAME_RE.fullmatch(value):
        raise ValidationError(INVALID_USERNAME_MESSAGE, code="invalid_username")


class UsernameConverter:
    """URL converter for `<username:...>`: any case in the URL, lower-case in the view."""

    regex = "[A-Za-z0-9_]{1,64}"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value
