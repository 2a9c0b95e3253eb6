"""Writes of affiliate API snapshots."""

from datetime import datetime

from django.utils import timezone

from media.models import AffiliateSnapshot, MediaRecord
from profiles.models import Person

SNAPSHOT_FIELDS = (
    "room_subject",
    "num_users",
    "num_followers",
    "tags",
    "is_hd",
    "age",
    "location",
    "current_show",
    "seconds_online",
    "image_url_360x270",
)


def affiliate_snapshot_create(
    *,
    person: Person,
    observed_at: datetime | None = None,
    media_locator: MediaRecord | None = None,
    **room: object,
) -> AffiliateSnapshot:
    """Record what the affiliate API said about `person`'s room; `room` holds SNAPSHOT_FIELDS."""
    unknown = set(room) - set(SNAPSHOT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown snapshot fields: {', '.join(sorted(unknown))}.")
    snapshot = AffiliateSnapshot(
        person=person, observed_at=observed_at or timezone.now(), media_locator=media_locator, **room
    )
    snapshot.full_clean(exclude=["person", "media_locator"])
    snapshot.save()
    return snapshot
