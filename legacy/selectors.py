"""Reads of what came from the original database."""

from dataclasses import dataclass, field

from django.db.models import Count

from legacy.models import LegacyDetails, LegacyRecord
from profiles.models import Person

# How the page names the original's columns; a column not listed shows under its own name.
LABELS = {
    "rating": "Rating (0 = not rated)",
    "friend_tier": "Friend tier",
    "irl_name": "IRL name",
    "identity_name": "Identity name",
    "address_as": "Address as",
    "real_name": "Real name",
    "following": "I follow them",
    "follower": "They follow me",
    "following_since": "Following since",
    "follower_since": "Follower since",
    "unfollowed_at": "I unfollowed",
    "unfollower_at": "They unfollowed",
    "first_service_date": "First service",
    "last_service_date": "Last service",
    "banned_at": "Banned",
    "active_sub": "Active sub",
    "stream_summary": "Stream summary",
    "rid": "Platform id (rid)",
    "did": "Platform id (did)",
    "is_excluded": "Excluded",
    "room_visit_count": "Visits to my room",
    "my_visit_count": "My visits to their room",
}


@dataclass
class LegacyProfile:
    """What the original knew about one person: values by source row, and rows kept aside."""

    rows: list[tuple[str, list[tuple[str, object]]]] = field(default_factory=list)
    kept_aside: list[tuple[str, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows or self.kept_aside)


def _shown(value: object) -> object:
    if isinstance(value, list):
        return (
            ", ".join(str(item) for item in value)
            if all(not isinstance(i, dict | list) for i in value)
            else value
        )
    return value


def legacy_profile_of(person: Person) -> LegacyProfile:
    """The person's values from the original's `persons` and `profiles` rows (two queries)."""
    legacy = LegacyProfile()
    details = LegacyDetails.objects.filter(person=person, source_table__in=("persons", "profiles"))
    for row in details.order_by("-source_table", "source_key"):
        values = [
            (LABELS.get(name, name.replace("_", " ").capitalize()), _shown(value))
            for name, value in sorted(row.data.items())
        ]
        legacy.rows.append((f"{row.source_table} {row.source_key}", values))
    counts = LegacyRecord.objects.filter(person=person).values("source_table").annotate(n=Count("id"))
    legacy.kept_aside = sorted((count["source_table"], count["n"]) for count in counts)
    return legacy
