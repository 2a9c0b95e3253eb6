"""What the dedup works on: the duplicate groups (one person's live records with one sha256, and
sha256s held by several people), their members, which member is kept, and what a run reports."""

from collections.abc import Container, Iterable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from media.models import MediaRecord, PlaceholderHash

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
    workers: int = 1
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
            "workers": self.workers,
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
    these groups too, so no join here: the usernames come with the members (`members_of`)."""
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


def known_placeholder_hash(sha256: str) -> bool:
    """Whether `sha256` is a known placeholder's hash (the setting or the table). Deliberately not
    `is_placeholder_digest`: its size match (MEDIA_PLACEHOLDER_SIZES) is a download heuristic, and
    here a match quarantines every person's copy of the image."""
    if sha256 in {known.lower() for known in settings.MEDIA_PLACEHOLDER_SHA256}:
        return True
    return PlaceholderHash.objects.filter(sha256=sha256).exists()


class Member(NamedTuple):
    """One live record of a duplicate group, as `members_of` reads it: a row, not a model
    instance (a batch reads thousands), with its person's username and its reference count."""

    pk: UUID
    person_id: UUID
    username: str
    sha256: str
    file_path: str
    is_primary: bool
    references: int


# A group's members best first: most references (affiliate snapshots pointing to them), the
# primary one, the oldest (captured, then created), then by id, so the order is the same on
# every run. The database sorts: the times are not read at all.
RANK = ("-references", "-is_primary", "captured_at", "created_at", "pk")


def keeper_choose(members: list[Member], present: Container[str]) -> Member:
    """The member of a duplicate group to keep, of `members` as `members_of` gives them (best
    ranked first, see `RANK`).

    The keeper is the best-ranked member whose file is `present` (a listing of their folders);
    only when no member's file exists is it the best-ranked. Keeping a record without its file
    would point every reference at a broken image.
    """
    return next((record for record in members if record.file_path in present), members[0])


def members_of(batch: list[dict]) -> dict[tuple, list[Member]]:
    """The live records of a batch of groups, with their reference counts and their person's
    username, by (person, sha256), each group's best ranked first (`RANK`)."""
    wanted = {(row["person_id"], row["sha256"]) for row in batch}
    rows = (
        MediaRecord.objects.live()
        .filter(person_id__any={person for person, _ in wanted}, sha256__any={sha for _, sha in wanted})
        .annotate(references=Count("affiliate_snapshots"))
        .order_by(*RANK)
        .values_list("pk", "person_id", "person__username", "sha256", "file_path", "is_primary", "references")
    )
    members: dict[tuple, list[Member]] = {}
    for row in rows:
        member = Member._make(row)
        if (member.person_id, member.sha256) in wanted:
            members.setdefault((member.person_id, member.sha256), []).append(member)
    return members
