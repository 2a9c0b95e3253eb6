import pytest
from django.core.exceptions import ValidationError

from profiles.usernames import normalize_username


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Alex_Lord_", "alex_lord_"),
        ("  bricktiger ", "bricktiger"),
        ("a", "a"),
        ("x" * 64, "x" * 64),
        ("007", "007"),
    ],
)
def test_valid_usernames_are_stored_lower_case(raw, stored):
    assert normalize_username(raw) == stored


@pytest.mark.parametrize(
    "raw", ["", " ", "x" * 65, "has space", "dash-name", "émile", "a.b", "../etc", None, 42, ["a"]]
)
def test_invalid_usernames_are_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError, match="valid username"):
        normalize_username(raw)
