"""The people the daily-use benchmark runs on: a population of N, and one heaviest person with
data in every section of the profile page, at the scale a long-watched person reaches.

Everything is bulk-created except the attribute values, which are saved one by one (their
history is written by signals; the earlier changes are bulk-created beside them)."""

import random
import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from collaborations.models import Collaboration, ordered_pair
from events.models import Event
from legacy.models import LegacyDetails, LegacyRecord
from media.models import AffiliateSnapshot, MediaRecord, MediaSource
from notes.models import Note
from profiles.models import AlternateAccount, FormerUsername, Person, PersonMerge, Profile
from relationships.benchmarks import seeded_history
from relationships.models import Relationship, RelationshipHistory, RelationshipType, Status, Tier

COLLABORATORS = 500
SNAPSHOTS = 3000
SNAPSHOTS_PER_SESSION = 30  # one broadcast: 30 snapshots 5 minutes apart, then 10 hours offline
SCREENSHOT_EVERY = 5  # a screenshot at every 5th snapshot of the 50 newest sessions
SCREENSHOT_SESSIONS = 50
IMAGES = 600  # screenshots included; DELETED_IMAGES of them soft-deleted
DELETED_IMAGES = 30
OWN_ATTRIBUTES = 11  # defined by the owner, beside the system ones the migrations seed
ATTRIBUTE_CHANGES = 5  # set, cleared, set, cleared, set: odd, so that each attribute ends set
RELATIONSHIPS = 120
LISTED_BY = 60
EVENTS = 3000
NOTES = 200
FORMER_USERNAMES = 3
ALTERNATES = 2
KEPT_ASIDE = 5

_WORDS = ["alex", "leather", "rex", "hot", "guy", "bear", "pup", "daddy", "twink", "muscle", "sam", "kim"]


def population(size: int) -> list[Person]:
    rng = random.Random(16)
    people = Person.objects.bulk_create(
        (Person(username=f"{rng.choice(_WORDS)}_{i:07d}", role="model") for i in range(size)), batch_size=5000
    )
    Profile.objects.bulk_create(
        (
            Profile(person=p, display_name=f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()} {i}")
            for i, p in enumerate(people)
        ),
        batch_size=5000,
    )
    return people


def heaviest(star: Person, others: list[Person], user: AbstractBaseUser) -> None:
    """Give `star` the most every section has to show: `others` are the people they are linked
    with (at least COLLABORATORS + RELATIONSHIPS + LISTED_BY of them for the full numbers)."""
    now = timezone.now()
    collaborators = others[:COLLABORATORS]
    related = others[COLLABORATORS : COLLABORATORS + RELATIONSHIPS]
    listing = others[COLLABORATORS + RELATIONSHIPS : COLLABORATORS + RELATIONSHIPS + LISTED_BY]
    Collaboration.objects.bulk_create(
        Collaboration(person_a=a, person_b=b) for a, b in (ordered_pair(star, o) for o in collaborators)
    )
    _broadcasts_and_images(star, now)
    _attributes(star, now, user)
    _relationships(star, related, listing, now, user)
    Note.objects.bulk_create(
        Note(
            profile=star.profile,
            content=f"note {n}",
            formatted_content="",
            created_at=now - timedelta(hours=n),
        )
        for n in range(NOTES)
    )
    Event.objects.bulk_create(
        (
            Event(
                kind="attribute.set" if n % 2 else "note.created",
                summary=f"event {n}",
                person_id=star.pk,
                username=star.username,
                at=now - timedelta(minutes=n),
            )
            for n in range(EVENTS)
        ),
        batch_size=1000,
    )
    _identity_and_legacy(star, others[-ALTERNATES:], now)


def _observed(n: int, now):
    """When the n-th newest affiliate snapshot was taken."""
    return now - timedelta(minutes=5 * n + 600 * (n // SNAPSHOTS_PER_SESSION))


def _broadcasts_and_images(star: Person, now) -> None:
    screenshot_at = range(0, SNAPSHOTS_PER_SESSION * SCREENSHOT_SESSIONS, SCREENSHOT_EVERY)
    sources = [MediaSource.UPLOAD, MediaSource.PROFILE, MediaSource.AFFILIATE_API]
    images = [
        MediaRecord(
            person=star,
            source=MediaSource.SCREENSNAP,
            file_path=f"bench/{star.pk}/screensnap-{n}.jpg",
            sha256=uuid.uuid4().hex * 2,
            size_bytes=48_000 + n,
            mime_type="image/jpeg",
            width=640,
            height=480,
            captured_at=_observed(n, now),
            created_at=_observed(n, now),
        )
        for n in screenshot_at
    ]
    for n in range(IMAGES - len(images)):
        at = now - timedelta(hours=7 * n + 3)
        images.append(
            MediaRecord(
                person=star,
                source=sources[n % len(sources)],
                file_path=f"bench/{star.pk}/image-{n}.jpg",
                sha256=uuid.uuid4().hex * 2,
                size_bytes=250_000 + 37 * n,
                mime_type="image/jpeg",
                width=1280,
                height=960,
                is_primary=n == 0,
                captured_at=at,
                created_at=at,
                deleted_at=at + timedelta(days=1) if n % 10 == 9 and n < DELETED_IMAGES * 10 else None,
            )
        )
    MediaRecord.objects.bulk_create(images, batch_size=1000)
    screenshots = {n: image.pk for n, image in zip(screenshot_at, images, strict=False)}
    AffiliateSnapshot.objects.bulk_create(
        (
            AffiliateSnapshot(
                person=star,
                observed_at=_observed(n, now),
                room_subject=f"Show {n // SNAPSHOTS_PER_SESSION}",
                num_users=100 + n % 50,
                seconds_online=600,
                media_locator_id=screenshots.get(n),
            )
            for n in range(SNAPSHOTS)
        ),
        batch_size=1000,
    )


def _attributes(star: Person, now, user: AbstractBaseUser) -> None:
    """OWN_ATTRIBUTES more definitions, and every definition set on `star` after
    ATTRIBUTE_CHANGES changes (set, cleared, set …), the owner's and the app's in turn."""
    AttributeDefinition.objects.bulk_create(
        AttributeDefinition(
            key=f"bench_{n}",
            label=f"Bench attribute {n}",
            description=f"What the owner means by bench attribute {n}.",
            color=("teal", "amber", "violet", "pink")[n % 4],
            icon="★" if n % 3 == 0 else "",
            show_as_badge=n % 4 == 0,
            sort_order=100 + n,
        )
        for n in range(OWN_ATTRIBUTES)
    )
    keys = list(AttributeDefinition.objects.values_list("key", flat=True))

    def changed_at(key_index: int, change: int):
        return now - timedelta(days=30 * (ATTRIBUTE_CHANGES - change), hours=key_index)

    # The first change is the row's creation, saved so that its signal writes the history row;
    # the later ones are bulk-created history rows, and the row is dated by the last of them.
    rows = []
    for k, key in enumerate(keys):
        row = PersonAttribute(person=star, attribute_id=key, set_at=changed_at(k, 1))
        row.changed_by = user
        row.save()
        rows.append(row)
    AttributeHistory.objects.bulk_create(
        AttributeHistory(
            person=star,
            attribute_key=key,
            old_value=change % 2 == 0,
            new_value=change % 2 == 1,
            changed_at=changed_at(k, change),
            changed_by=user if change % 2 else None,
        )
        for k, key in enumerate(keys)
        for change in range(2, ATTRIBUTE_CHANGES + 1)
    )
    for k, row in enumerate(rows):  # the same value, later: no history row of its own
        row.set_at = changed_at(k, ATTRIBUTE_CHANGES)
        row.save()


def _relationships(star: Person, related: list[Person], listing: list[Person], now, user) -> None:
    kinds = [(t, tier, s) for t in RelationshipType.values for tier in Tier.values for s in Status.values]
    relationships = Relationship.objects.bulk_create(
        Relationship(
            profile=star.profile,
            related_person=person,
            type=type_,
            tier=tier,
            status=status,
            notes=f"Met at show {n}." if n % 3 == 0 else "",
            started_at=(now - timedelta(days=10 * n + 30)).date() if n % 2 == 0 else None,
            ended_at=(now - timedelta(days=10 * n)).date() if status == Status.ENDED and n % 2 == 0 else None,
        )
        for n, (person, (type_, tier, status)) in enumerate(zip(related, kinds * 2, strict=False))
    )
    RelationshipHistory.objects.bulk_create(
        seeded_history(
            relationships,
            dated=lambda n, action: now - timedelta(days=2 * n + (action == "created")),
            changed_by=user,
        )
    )
    Relationship.objects.bulk_create(
        Relationship(
            profile=person.profile,
            related_person=star,
            type=RelationshipType.values[n % len(RelationshipType.values)],
            tier=Tier.values[n % len(Tier.values)],
        )
        for n, person in enumerate(listing)
    )


def _identity_and_legacy(star: Person, alternates: list[Person], now) -> None:
    FormerUsername.objects.bulk_create(
        FormerUsername(
            person=star,
            username=f"{star.username}_old{n}",
            used_from=now - timedelta(days=400 * (n + 1)),
            used_until=now - timedelta(days=400 * n + 1),
        )
        for n in range(FORMER_USERNAMES)
    )
    AlternateAccount.objects.bulk_create(
        AlternateAccount(person_a=a, person_b=b, notes="Same face, same tip menu.")
        for a, b in (sorted((star, other), key=lambda p: p.pk) for other in alternates if other != star)
    )
    PersonMerge.objects.create(
        kept_person_id=star.pk,
        kept_username=star.username,
        merged_person_id=uuid.uuid4(),
        merged_username=f"{star.username}_dup",
        plan={"kinds": [{"kind": "images", "moved": 12}, {"kind": "notes", "moved": 3}]},
        merged_at=now - timedelta(days=90),
    )
    LegacyDetails.objects.bulk_create(
        [
            LegacyDetails(
                source_table="persons",
                source_key=str(star.pk),
                person=star,
                data={"rating": 4, "friend_tier": 2, "following": True, "room_visit_count": 312},
            ),
            LegacyDetails(
                source_table="profiles",
                source_key=str(star.pk),
                person=star,
                data={
                    "irl_name": "Sam",
                    "address_as": "sir",
                    "following_since": "2021-03-04",
                    "first_service_date": "2021-05-01",
                    "stream_summary": "Long shows, tip menu games.",
                    "tags": ["leather", "bear"],
                },
            ),
        ]
    )
    LegacyRecord.objects.bulk_create(
        LegacyRecord(
            source_table="media" if n % 2 else "notes",
            source_key=f"{star.pk}-{n}",
            row={"id": n},
            reason="file missing",
            person=star,
        )
        for n in range(KEPT_ASIDE)
    )
