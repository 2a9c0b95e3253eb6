"""Images shared by several people (one sha256, live records of more than one person): never
merged, since that would take an image out of someone's gallery. Almost always a platform
placeholder: with `placeholders`, a group whose hash is a known placeholder, or is held by at
least `min_people` people, is recorded as a placeholder and every live record of it
soft-deleted (files quarantined in bulk, a "media.placeholder_removed" event per person)."""

from collections import defaultdict
from concurrent.futures import Executor

from events.services import event_build, events_record
from media.keys import quarantine_key
from media.maintenance.dedup.groups import (
    PLACEHOLDER_NOTE,
    USERNAMES_SAMPLE,
    CrossPersonGroup,
    DedupResult,
    cross_person_groups,
    known_placeholder_hash,
)
from media.models import MediaRecord, PlaceholderHash
from media.services import placeholder_add
from media.services.bulk_deletes import SoftDeletesUnderway
from media.storage import file_size
from profiles.models import Person

MOVE_REASON = "placeholder"


def _usernames(sha256: str) -> list[str]:
    return list(
        Person.objects.filter(media_records__sha256=sha256, media_records__deleted_at__isnull=True)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()[:USERNAMES_SAMPLE]
    )


def _sizes(keys: list[str], pool: Executor) -> dict[str, int]:
    """{key: size} of those of `keys` that hold a file (a request each, on the pool): the records
    of a placeholder are spread over many people's folders, so listing them would cost more."""

    def size(key: str) -> int | None:
        try:
            return file_size(key)
        except FileNotFoundError:
            return None

    return {key: found for key, found in zip(keys, pool.map(size, keys), strict=True) if found is not None}


def _events(going: list[MediaRecord]) -> None:
    by_person = defaultdict(list)
    for record in going:
        by_person[record.person_id].append(record)
    events_record(
        event_build(
            kind="media.placeholder_removed",
            summary=f"{len(records)} placeholder image(s) removed from the gallery",
            person=records[0].person,
            data={"sha256": records[0].sha256, "records": [str(record.pk) for record in records]},
        )
        for records in by_person.values()
    )


def placeholder_quarantine(
    group: CrossPersonGroup, *, size_bytes: int | None, batch_size: int, pool: Executor, problems: list[str]
) -> None:
    """Record `group`'s hash as a placeholder (first, so an interrupted run finishes it), then
    soft-delete every live record holding it, a batch at a time."""
    if not PlaceholderHash.objects.filter(sha256=group.sha256).exists():
        note = f"{PLACEHOLDER_NOTE}: the same image for {group.people} people"
        placeholder_add(sha256=group.sha256, size_bytes=size_bytes, note=note)
        group.placeholder_recorded = True
    live = (
        MediaRecord.objects.live()
        .filter(sha256=group.sha256)
        .select_related("person")
        .only("id", "person_id", "person__username", "file_path", "sha256", "size_bytes")
        .order_by("pk")
    )
    failed: set = set()
    while batch := list(live.exclude(pk__in=failed)[:batch_size]):
        keys = [record.file_path for record in batch]
        outcome = SoftDeletesUnderway(
            records=batch,
            reason=MOVE_REASON,
            present=_sizes(keys, pool),
            quarantined=_sizes([quarantine_key(key) for key in keys], pool),
            pool=pool,
            on_deleted=_events,
        ).finish()
        group.soft_deleted += len(outcome.deleted)
        group.failed += len(outcome.failed)
        failed |= set(outcome.failed)
        problems += [f"{record_id} stays live: {why}" for record_id, why in outcome.failed.items()]
        problems += [f"The original {line} stays until the next run" for line in outcome.unfinished]
    group.action = "quarantined"


def cross_person_pass(
    result: DedupResult,
    *,
    apply: bool,
    placeholders: bool,
    min_people: int,
    batch_size: int,
    pool: Executor,
    progress,
) -> set[str]:
    """Report every cross-person group and, with `placeholders`, quarantine those that qualify;
    returns the hashes the placeholder path took, which the person pass then leaves alone."""
    taken: set[str] = set()
    bar = progress("Scanning cross-person groups", None)
    rows = cross_person_groups(with_recorded_placeholders=placeholders).iterator(chunk_size=batch_size)
    for row in rows:
        sha256, size = row["sha256"], row["size"]
        known = known_placeholder_hash(sha256)
        group = CrossPersonGroup(
            sha256=sha256,
            people=row["people"],
            records=row["records"],
            usernames=_usernames(sha256),
            known_placeholder=known,
        )
        result.cross_person.append(group)
        if placeholders and (known or row["people"] >= min_people):
            taken.add(sha256)
            if apply:
                placeholder_quarantine(
                    group, size_bytes=size, batch_size=batch_size, pool=pool, problems=result.problems
                )
            else:
                group.action = "would quarantine"
                group.soft_deleted = row["records"]
                group.placeholder_recorded = not PlaceholderHash.objects.filter(sha256=sha256).exists()
            result.soft_deleted += group.soft_deleted
            result.placeholders_recorded += group.placeholder_recorded
        bar.advance()
    bar.close()
    return taken
