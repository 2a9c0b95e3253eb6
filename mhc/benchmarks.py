"""Benchmarks that cross apps: merging two people who each have a large dossier."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from attributes.models import AttributeHistory
from collaborations.models import Collaboration, ordered_pair
from media.models import AffiliateSnapshot, MediaRecord
from mhc.bench import Bench, benchmark
from notes.models import Note
from profiles.models import Person, PersonMerge, Profile
from profiles.services import person_merge, person_merge_preview, person_merge_undo


def _dossier(person: Person, size: int, others: list[Person]) -> None:
    """`size` notes, images, snapshots and attribute changes, and a collaborator per ten."""
    now = timezone.now()
    profile = Profile.objects.create(person=person, display_name=person.username)
    Note.objects.bulk_create(Note(profile=profile, content=f"note {i}") for i in range(size))
    MediaRecord.objects.bulk_create(
        MediaRecord(
            person=person,
            source="upload",
            file_path=f"people/{person.username}/upload/{i}.jpg",
            sha256=f"{i:064x}",
        )
        for i in range(size)
    )
    AffiliateSnapshot.objects.bulk_create(
        AffiliateSnapshot(person=person, observed_at=now - timedelta(minutes=i)) for i in range(size)
    )
    AttributeHistory.objects.bulk_create(
        AttributeHistory(
            person=person, attribute_key="watch_list", old_value=i % 2 == 1, new_value=i % 2 == 0
        )
        for i in range(size)
    )
    Collaboration.objects.bulk_create(
        Collaboration(**dict(zip(("person_a", "person_b"), ordered_pair(person, other), strict=True)))
        for other in others
    )


def _raw_moves(keep: Person, merge: Person) -> None:
    """The floor: the same rows moved with one UPDATE per table, then rolled back."""
    tables = [
        ("notes_note", "profile_id", merge.profile.pk, keep.profile.pk),
        ("media_locator", "person_id", merge.pk, keep.pk),
        ("affiliate_api_snapshots", "person_id", merge.pk, keep.pk),
        ("attributes_attributehistory", "person_id", merge.pk, keep.pk),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, column, old, new in tables:
            old_value, new_value = (
                v.hex if hasattr(v, "hex") and connection.vendor == "sqlite" else v for v in (old, new)
            )
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [new_value, old_value])
        transaction.set_rollback(True)


@benchmark("people-merge", help="Preview, merge and undo two people with large dossiers.", default_size=5_000)
def people_merge(bench: Bench) -> None:
    size = bench.size
    keep = Person.objects.create(username="bench_keep")
    merge = Person.objects.create(username="bench_merge")
    others = Person.objects.bulk_create(
        Person(username=f"bench_other_{i:06d}") for i in range(max(1, size // 10))
    )
    _dossier(keep, size, others[: len(others) // 2 + 1])
    _dossier(merge, size, others[len(others) // 2 :])
    keep, merge = (
        Person.objects.with_profile().get(pk=keep.pk),
        Person.objects.with_profile().get(pk=merge.pk),
    )
    rows = 4 * size + len(others) // 2
    floor = bench.measure(
        "the same rows moved by raw UPDATEs", lambda: _raw_moves(keep, merge), items=rows, record=False
    )
    bench.measure(
        "person_merge_preview", lambda: person_merge_preview(keep=keep, merge=merge), items=2 * rows + 2
    )
    bench.measure("person_merge", lambda: person_merge(keep=keep, merge=merge), items=rows, floor=floor)
    record = PersonMerge.objects.get()
    bench.measure("person_merge_undo", lambda: person_merge_undo(merge=record), items=rows, floor=floor)
    bench.note(f"Each person has {size} notes, images, snapshots and attribute changes; rows = rows moved.")
