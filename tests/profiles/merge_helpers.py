"""Two people with something of every kind, overlapping in every way a merge must settle, and
a dump of every row of every table, to compare a database before and after."""

from datetime import timedelta

from django.apps import apps
from django.core import serializers
from django.utils import timezone

from attributes.services import attribute_set
from collaborations.services import collaboration_add
from media.models import MediaRecord
from notes.services import note_create
from profiles.models import Person
from profiles.services import alternate_link, former_username_add, person_get_or_create, profile_update
from relationships.services import relationship_create
from tests.factories import AffiliateSnapshotFactory

# Rows that change with any write and say nothing about the people: left out of the dump.
NOT_COMPARED = {"events.event", "profiles.personmerge", "sessions.session", "admin.logentry"}


def person_with_profile(username: str, **fields) -> Person:
    person, _ = person_get_or_create(username=username, role=fields.pop("role", Person.Role.MODEL))
    profile_update(person=person, **fields)
    return Person.objects.with_profile().get(pk=person.pk)


def _image(person: Person, name: str, *, primary: bool = False) -> MediaRecord:
    return MediaRecord.objects.create(
        person=person,
        source="upload",
        file_path=f"people/{person.username}/upload/{person.username}_1700000000_{name}.jpg",
        sha256=name * 8,
        size_bytes=100,
        is_primary=primary,
    )


def rich_pair(size: int = 2) -> tuple[Person, Person]:
    """`alex` (kept) and `alex_two` (merged), with notes, attributes and their history,
    relationships both ways, collaborations (with each other and shared ones), images (each
    with a primary), snapshots, former names and alternate accounts; `size` of each plain kind."""
    now = timezone.now()
    keep = person_with_profile("alex", display_name="Alex", location="Berlin", bio="")
    merge = person_with_profile("alex_two", display_name="Alex Two", location="", bio="Hi there", age=33)
    third = person_with_profile("third_guy", display_name="Third")
    fourth, _ = person_get_or_create(username="fourth_guy")
    for index in range(size):
        note_create(person=keep, content=f"kept note {index}")
        note_create(person=merge, content=f"merged note {index}")
        _image(keep, f"k{index}")
        _image(merge, f"m{index}")
        AffiliateSnapshotFactory(person=keep, observed_at=now - timedelta(hours=index))
        AffiliateSnapshotFactory(person=merge, observed_at=now - timedelta(hours=index, minutes=30))
    _image(keep, "kp", primary=True)
    _image(merge, "mp", primary=True)
    attribute_set(person=merge, key="watch_list", value=True)  # set on the merged one only
    attribute_set(person=keep, key="banned_me", value=True)
    attribute_set(person=keep, key="banned_me", value=False)  # false on the kept one …
    attribute_set(person=merge, key="banned_me", value=True)  # … set on the merged one: set wins
    attribute_set(person=keep, key="leather_fetish", value=True)
    attribute_set(person=merge, key="leather_fetish", value=True)
    relationship_create(profile=keep.profile, person=merge, type="friend")  # becomes a self-relationship
    relationship_create(profile=keep.profile, person=third, type="dom")
    relationship_create(profile=merge.profile, person=third, type="dom")  # a duplicate of the above
    relationship_create(profile=merge.profile, person=third, type="friend")
    relationship_create(profile=third.profile, person=merge, type="sub")
    collaboration_add(person=keep, other=merge, notes="each other")  # becomes a self-pair
    collaboration_add(person=keep, other=third, notes="kept's notes", first_seen_at=now - timedelta(days=3))
    collaboration_add(
        person=merge, other=third, notes="merged's notes", first_seen_at=now - timedelta(days=9)
    )
    collaboration_add(person=merge, other=fourth)
    former_username_add(person=merge, username="alex_old", used_until=now - timedelta(days=100))
    alternate_link(person=keep, other=merge, notes="same guy")  # becomes a self-pair
    alternate_link(person=merge, other=fourth, notes="merged's alternate")
    return Person.objects.with_profile().get(pk=keep.pk), Person.objects.with_profile().get(pk=merge.pk)


def database_dump() -> dict[str, list]:
    """Every row of every table of the project's apps (and users), field by field."""
    dump = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_COMPARED or model._meta.proxy:
            continue
        rows = serializers.serialize("python", model._base_manager.order_by("pk"))
        dump[label] = [(str(row["pk"]), row["fields"]) for row in rows]
    return dump
