"""The username rules live in `mhc.usernames` (the project's shared bits, so `mhc` needs nothing
from `profiles`); these names stay importable from here, as migrations and apps import them."""

from mhc.usernames import (
    INVALID_USERNAME_MESSAGE,
    USERNAME_PATTERN,
    USERNAME_RE,
    UsernameConverter,
    normalize_username,
    validate_username,
)

__all__ = [
    "INVALID_USERNAME_MESSAGE",
    "USERNAME_PATTERN",
    "USERNAME_RE",
    "UsernameConverter",
    "normalize_username",
    "validate_username",
]
