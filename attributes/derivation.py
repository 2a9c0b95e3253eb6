"""Attributes the app computes from other data instead of the owner setting them."""

import re

PROFILE_SMOKE = "profile_smoke"
# The attributes the app derives: the definitions marked `is_auto_derived` (a test keeps the two
# the same), known without a query so the history can tell which changes not to offer for undo.
DERIVED_KEYS = frozenset({PROFILE_SMOKE})

_SMOKES = re.compile(r"(yes|yeah|sometimes)\b")


def smokes(smoke_drink: str) -> bool:
    """Whether a profile's "smoke / drink" text (e.g. "Yes/No", "Sometimes / Yes") says the person
    smokes: the part before the slash starts with yes, yeah or sometimes, in any case."""
    smoking_half = (smoke_drink or "").split("/", 1)[0].strip().lower()
    return _SMOKES.match(smoking_half) is not None
