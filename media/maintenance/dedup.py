"""Duplicate images in the media library: the same bytes (sha256) recorded more than once.

Two kinds, handled differently:
- a person's duplicates (one person, several live records with one sha256): one record is kept,
  every reference is moved to it, the others are soft-deleted (their files quarantined);
- cross-person groups (several people share one sha256): never merged, since that would take
  an image out of someone's gallery. Almost always a platform placeholder; with `placeholders`
  a group whose hash is a known placeholder, or is seen for at least `min_people` people, is
  recorded as a placeholder and every live record of it soft-deleted.

Interrupting a run and running it again converges: per group, the references and the primary
flag move in one transaction before any duplicate is soft-deleted, the keeper is chosen by the
same rule every time (and only gains by the first run), and a soft-delete is a journalled,
verified move that the next run finishes or rolls back.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from media.maintenance.run import ProgressFactory, batches, no_progress
from media.models import AffiliateSnapshot, MediaMove, MediaRecord, PlaceholderHash
from media.services import (
    MoveError,
    media_set_primary,
    media_soft_delete,
    moves_recover,
    placeholder_add,
)
from media.services.records import person_media_lock
from media.storage import file_exists
from mhc.exceptions import Conflict
from profiles.models import Person

# Placeholders recorded by this module carry this note, so a run interrupted half-way through
# quarantining one still finishes it when fewer than two people are left holding it.
PLACEHOLDER_NOTE = "media_dedup"
USERNAMES_SAMPLE = 5


@dataclass
class DuplicateGroup:
    """One person's live records with one sha256: the one kept and the duplicates."""

    person_id: str
    username: str
    sha256: str
    kept_id: str
    duplicate_ids: list[str]
    references_repointed: int = 0
    primary_moved: bool = False
    soft_deleted_ids: list[str] = field(default_factory=list)
    failed_ids: list[str] = field(default_factory=list)


@dataclass
class CrossPersonGroup:
    """One sha256 held by live records of several people (or a placeholder being finished)."""

    sha256: str
    people: int
    records: int
    usernames: list[str]
    known_placeholder: bool
    action: str = "reported"  # "reported", "would quarantine" or "quarantined"
    placeholder_recorded: bool = False
    soft_deleted: int = 0
    failed: int = 0


@dataclass
class DedupResult:
    """What `dedup_run` found and did (in a dry run: what it would do)."""

    applied: bool
    groups: list[DuplicateGroup] = field(default_factory=list)
    cross_person: list[CrossPersonGroup] = field(default_factory=list)
    duplicate_records: int = 0
    soft_deleted: int = 0
    references_repointed: int = 0
    primaries_moved: int = 0
    placeholders_recorded: int = 0
    records_without_sha256: int = 0
    moves_recovered: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        would = "" if self.applied else " (would be)"
        return {
            "duplicate groups": len(self.groups),
            "duplicate records": self.duplicate_records,
            f"records soft-deleted{would}": self.soft_deleted,
            f"references repointed{would}": self.references_repointed,
            f"primaries moved{would}": self.primaries_moved,
            "cross-person groups": len(self.cross_person),
            f"placeholders recorded{would}": self.placeholders_recorded,
            "records without sha256 (skipped: run media_sha256)": self.records_without_sha256,
            "unfinished moves recovered": self.moves_recovered,
            "problems": len(self.problems),
        }

    def details(self) -> dict[str, list[dict]]:
        return {
            "groups": [asdict(group) for group in self.groups],
            "cross_person_groups": [asdict(group) for group in self.cross_person],
        }


def duplicate_groups(*, exclude_sha256: Iterable[str] = ()) -> QuerySet:
    """(person_id, sha256, records) of every person's sha256 held by several live records, in a
    fixed order. Records without a sha256 are not compared. The admin's media overview counts
    these groups too, so no join here: the usernames come with the members (`_members`)."""
    groups = (
        MediaRecord.objects.live()
        .exclude(sha256="")
        .values("person_id", "sha256")
        .annotate(records=Count("id"))
        .filter(records__gt=1)
        .order_by("person_id", "sha256")
    )
    exclude_sha256 = list(exclude_sha256)
    return groups.exclude(sha256__in=exclude_sha256) if exclude_sha256 else groups


def cross_person_groups(*, with_recorded_placeholders: bool = False) -> QuerySet:
    """(sha256, people, records, size) of every sha256 held by live records of several people;
    with `with_recorded_placeholders`, also the hashes this module recorded as placeholders
    that still have live records (an interrupted quarantine to finish)."""
    shared = Q(people__gt=1)
    if with_recorded_placeholders:
        recorded = PlaceholderHash.objects.filter(note__startswith=PLACEHOLDER_NOTE).values("sha256")
        shared |= Q(sha256__in=recorded)
    return (
        MediaRecord.objects.live()
        .exclude(sha256="")
        .values("sha256")
        .annotate(people=Count("person_id", distinct=True), records=Count("id"), size=Max("size_bytes"))
        .filter(shared)
        .order_by("sha256")
    )


def _known_placeholder_hash(sha256: str) -> bool:
    """Whether `sha256` is a known placeholder's hash (the setting or the table). Deliberately not
    `is_placeholder_digest`: its size match (MEDIA_PLACEHOLDER_SIZES) is a download heuristic, and
    here a match quarantines every person's copy of the image."""
    if sha256 in {known.lower() for known in settings.MEDIA_PLACEHOLDER_SHA256}:
        return True
    return PlaceholderHash.objects.filter(sha256=sha256).exists()


def _rank(record: MediaRecord) -> tuple:
    """Sort key of a group's members, best first: most references, the primary one, the oldest."""
    return (-record.references, not record.is_primary, record.captured_at, record.created_at, str(record.id))


def keeper_choose(members: list[MediaRecord]) -> MediaRecord:
    """The member of a duplicate group to keep.

    Members are ranked by references (affiliate snapshots pointing to them, most first), then
    the primary one, then the oldest (captured, then created, then id, so the choice is the same
    on every run). The keeper is the best-ranked member whose file exists in storage, checked in
    rank order (usually one request); only when no member's file exists is it the best-ranked.
    Keeping a record without its file would point every reference at a broken image.
    """
    ranked = sorted(members, key=_rank)
    return next((record for record in ranked if file_exists(record.file_path)), ranked[0])


def _members(batch: list[dict]) -> dict[tuple, list[MediaRecord]]:
    """The live records of a batch of groups, with their reference counts and their person's
    username, by (person, sha256)."""
    wanted = {(row["person_id"], row["sha256"]) for row in batch}
    records = (
        MediaRecord.objects.live()
        .filter(person_id__in={person for person, _ in wanted}, sha256__in={sha for _, sha in wanted})
        .select_related("person")
        .only(
            "id",
            "person_id",
            "person__username",
            "sha256",
            "file_path",
            "is_primary",
            "captured_at",
            "created_at",
        )
        .annotate(references=Count("affiliate_snapshots"))
    )
    members: dict[tuple, list[MediaRecord]] = {}
    for record in records:
        if (record.person_id, record.sha256) in wanted:
            members.setdefault((record.person_id, record.sha256), []).append(record)
    return members


class _KeeperGone(Exception):
    """The record chosen to keep was deleted (in the admin) after the group was read."""


def _keeper_live(keeper: MediaRecord) -> None:
    if not MediaRecord.objects.live().filter(pk=keeper.pk).exists():
        raise _KeeperGone(
            f"{keeper.id} ({keeper.file_path}), the record to keep, is no longer live: the rest "
            "of its group was left live; run media_dedup again"
        )


@transaction.atomic
def _repoint(*, keeper: MediaRecord, duplicates: list[MediaRecord]) -> tuple[int, bool]:
    """Move every reference of `duplicates` to `keeper`, and the primary flag if one of them has
    it; returns (references moved, primary moved). One transaction: all or nothing, and nothing
    if the keeper is no longer live (_KeeperGone)."""
    person_media_lock(keeper.person_id)
    _keeper_live(keeper)
    ids = [record.id for record in duplicates]
    repointed = AffiliateSnapshot.objects.filter(media_locator_id__in=ids).update(media_locator_id=keeper.id)
    primary_moved = MediaRecord.objects.filter(pk__in=ids, is_primary=True, deleted_at__isnull=True).exists()
    if primary_moved:
        # media_set_primary clears the person's primary before setting it: one live primary.
        media_set_primary(record=keeper)
    return repointed, primary_moved


def _soft_delete(record: MediaRecord, problems: list[str]) -> bool:
    """Soft-delete `record` (its file quarantined by a verified move); on a failed move the
    record stays live with its file, and the problem is noted. A record someone deleted in the
    meantime (the owner, in the gallery) is as good as done."""
    try:
        media_soft_delete(record=record)
    except Conflict:
        return True  # media_soft_delete refuses only a record that is already deleted
    except MoveError as error:
        problems.append(f"{record.id} ({record.file_path}) stays live: {error}")
        return False
    return True


def group_dedup(
    members: list[MediaRecord], *, username: str, apply: bool, problems: list[str]
) -> DuplicateGroup:
    """Keep one of a person's records with one sha256 and (with `apply`) merge the others
    into it: references and primary flag first, in one transaction, then the soft-deletes."""
    keeper = keeper_choose(members)
    duplicates = sorted((record for record in members if record.pk != keeper.pk), key=_rank)
    group = DuplicateGroup(
        person_id=str(keeper.person_id),
        username=username,
        sha256=keeper.sha256,
        kept_id=str(keeper.id),
        duplicate_ids=[str(record.id) for record in duplicates],
    )
    if not apply:
        group.references_repointed = sum(record.references for record in duplicates)
        group.primary_moved = any(record.is_primary for record in duplicates)
        return group
    try:
        group.references_repointed, group.primary_moved = _repoint(keeper=keeper, duplicates=duplicates)
    except _KeeperGone as error:
        problems.append(str(error))
        group.failed_ids = [str(record.id) for record in duplicates]
        return group
    for index, record in enumerate(duplicates):
        try:
            _keeper_live(keeper)  # the last duplicate must not go if the keeper just went
        except _KeeperGone as error:
            problems.append(str(error))
            group.failed_ids += [str(left.id) for left in duplicates[index:]]
            break
        deleted = _soft_delete(record, problems)
        (group.soft_deleted_ids if deleted else group.failed_ids).append(str(record.id))
    return group


def _usernames(sha256: str) -> list[str]:
    return list(
        Person.objects.filter(media_records__sha256=sha256, media_records__deleted_at__isnull=True)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()[:USERNAMES_SAMPLE]
    )


def placeholder_quarantine(
    group: CrossPersonGroup, *, size_bytes: int | None, batch_size: int, problems: list[str]
) -> None:
    """Record `group`'s hash as a placeholder (first, so an interrupted run finishes it), then
    soft-delete every live record holding it."""
    if not PlaceholderHash.objects.filter(sha256=group.sha256).exists():
        note = f"{PLACEHOLDER_NOTE}: the same image for {group.people} people"
        placeholder_add(sha256=group.sha256, size_bytes=size_bytes, note=note)
        group.placeholder_recorded = True
    live = MediaRecord.objects.live().filter(sha256=group.sha256).order_by("pk")
    failed: set = set()
    while batch := list(live.exclude(pk__in=failed).only("id", "file_path")[:batch_size]):
        for record in batch:
            if _soft_delete(record, problems):
                group.soft_deleted += 1
            else:
                failed.add(record.pk)
                group.failed += 1
    group.action = "quarantined"


def _cross_person_pass(
    result: DedupResult, *, apply: bool, placeholders: bool, min_people: int, batch_size: int, progress
) -> set[str]:
    """Report every cross-person group and, with `placeholders`, quarantine those that qualify;
    returns the hashes the placeholder path took, which the person pass then leaves alone."""
    taken: set[str] = set()
    bar = progress("Scanning cross-person groups", None)
    rows = cross_person_groups(with_recorded_placeholders=placeholders).iterator(chunk_size=batch_size)
    for row in rows:
        sha256, size = row["sha256"], row["size"]
        known = _known_placeholder_hash(sha256)
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
                    group, size_bytes=size, batch_size=batch_size, problems=result.problems
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


def _person_pass(
    result: DedupResult, *, apply: bool, exclude_sha256: set[str], batch_size: int, progress
) -> None:
    """Merge every person's duplicates, a batch of groups at a time."""
    groups = duplicate_groups(exclude_sha256=exclude_sha256)
    bar = progress("Processing duplicate groups", groups.count())
    for batch in batches(groups.iterator(chunk_size=batch_size), batch_size):
        members = _members(batch)
        for row in batch:
            group_members = members.get((row["person_id"], row["sha256"]), [])
            if len(group_members) < 2:
                continue  # merged since the groups were listed
            group = group_dedup(
                group_members,
                username=group_members[0].person.username,
                apply=apply,
                problems=result.problems,
            )
            result.groups.append(group)
            result.duplicate_records += len(group.duplicate_ids)
            result.soft_deleted += len(group.soft_deleted_ids) if apply else len(group.duplicate_ids)
            result.references_repointed += group.references_repointed
            result.primaries_moved += group.primary_moved
        bar.advance(len(batch))
    bar.close()


def _moves_finish(result: DedupResult) -> None:
    """Finish the moves an earlier run left unfinished: those cut short after the copy was
    verified at once (the database already says "moved", only the original's removal is left, so
    finishing races nothing), the others once they are old enough to be certainly dead."""
    cut_after_verify = MediaRecord.objects.filter(moves__state=MediaMove.State.VERIFIED).distinct()
    outcomes = [outcome for record in cut_after_verify.iterator() for outcome in moves_recover(record=record)]
    for outcome in outcomes + moves_recover():
        result.moves_recovered += 1
        if outcome.action == "needs attention":
            result.problems.append(f"Move {outcome.source_key} → {outcome.target_key}: {outcome.detail}")


def dedup_run(
    *,
    apply: bool,
    placeholders: bool = False,
    min_people: int = 3,
    batch_size: int = 500,
    progress: ProgressFactory = no_progress,
) -> DedupResult:
    """Find (and with `apply`, merge) duplicate images: every person's duplicates, and the
    cross-person groups, quarantined as placeholders when `placeholders` and they qualify.

    Without `apply` nothing changes. With it, afterwards no person has two live records with the
    same sha256, except where a file could not be moved (listed in `problems`). The caller stops
    the media jobs first (`media.maintenance.run.media_jobs_stop`).
    """
    if min_people < 2:
        raise ValueError("min_people must be at least 2: a group of one person is not shared.")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    result = DedupResult(applied=apply)
    result.records_without_sha256 = MediaRecord.objects.live().filter(sha256="").count()
    if apply:
        _moves_finish(result)
    taken = _cross_person_pass(
        result,
        apply=apply,
        placeholders=placeholders,
        min_people=min_people,
        batch_size=batch_size,
        progress=progress,
    )
    _person_pass(result, apply=apply, exclude_sha256=taken, batch_size=batch_size, progress=progress)
    return result
