"""Attributes the app computes from other data instead of the owner setting them."""

import re

PROFILE_SMOKE = "profile_smoke"
DERIVED_KEYS = frozenset({PROFILE_SMOKE})  # the attributes whose definitions are `is_auto_derived`

_SMOKES = re.compile(r"(yes|yeah|sometimes)\b")


def smokes(smoke_drink: str) -> bool:
    """Whether a profile's "smoke / drink" text (e.g. "Yes/No", "Sometimes / Yes") says the person
    smokes: the part before the slash starts with yes, yeah or sometimes, in any case."""
    smoking_half = (smoke_drink or "").split("/", 1)[0].strip().lower()
    return _SMOKES.match(smoking_half) is not None
