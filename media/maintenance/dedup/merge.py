"""Merging each person's duplicates (one person, several live records with one sha256), a batch
of groups at a time.

Per batch: one query reads the members, one listing per folder tells which files exist (the
keeper must have its file; a quarantine key already taken counts as a copy); one transaction
repoints every reference and primary flag of the batch's duplicates to their keepers (bulk
UPDATEs); then the duplicates' files are moved to quarantine (journalled, copied by the pool,
verified: `SoftDeletesUnderway`) and, once copied, the duplicates soft-deleted, with a
"media.deduplicated" event per person. A handful of SQL statements per batch, whatever its size.

A batch is a `MergeBatch`, taken in steps so that the pool copies its files while the calling
thread reads the next batch and the listings of the next batch's folders run while this one is
committed: the database waits and the file work overlap instead of following each other.

Converges when interrupted: references move before any duplicate is deleted, the keeper is
chosen by the same rule every time, and the moves are journalled for the next run's recovery.
"""

from collections import defaultdict
from concurrent.futures import Executor

from django.db import transaction
from django.db.models import Case, Count, UUIDField, Value, When

from events.services import event_row, event_rows_record
from media.maintenance.dedup.groups import (
    DedupResult,
    DuplicateGroup,
    Member,
    keeper_choose,
    members_of,
)
from media.models import AffiliateSnapshot, MediaRecord
from media.services.bulk_deletes import SoftDeletesUnderway
from media.services.bulk_moves import listings_start
from profiles.models import Person

MOVE_REASON = "dedup"
SUBJECT_TYPE = MediaRecord._meta.label_lower  # what an event about a record names as its subject


class MergeBatch:
    """A batch of duplicate groups (`rows` of `duplicate_groups`) on its way, in three steps so
    that its files are moved while the next batch is read: creating it reads the members and
    hands their folders' listings to `pool`; `start` chooses the keepers and (with `apply`)
    repoints the references and starts the duplicates' moves (without `apply`, describes them);
    `finish` waits for the copies and soft-deletes the duplicates whose move verified."""

    def __init__(self, rows: list[dict], *, apply: bool, pool: Executor, result: DedupResult):
        self.size, self.apply, self.pool, self.result = len(rows), apply, pool, result
        members = members_of(rows)
        keys = [(row["person_id"], row["sha256"]) for row in rows]
        self.groups = [members[key] for key in keys if len(members.get(key, [])) > 1]
        self._listed = listings_start(
            [record.file_path for group in self.groups for record in group],
            pool,
            quarantine_folder="" if apply else None,
        )
        self._kept: list = []
        self._underway = None

    def start(self) -> None:
        result = self.result
        present, quarantined = self._listed()
        plans = []
        for group_members in self.groups:
            keeper = keeper_choose(group_members, present)
            duplicates = [record for record in group_members if record.pk != keeper.pk]  # best ranked first
            group = DuplicateGroup(
                person_id=str(keeper.person_id),
                username=keeper.username,
                sha256=keeper.sha256,
                kept_id=str(keeper.pk),
                duplicate_ids=[str(record.pk) for record in duplicates],
            )
            result.groups.append(group)
            result.duplicate_records += len(duplicates)
            if self.apply:
                plans.append((group, keeper, duplicates))
            else:
                group.references_repointed = sum(record.references for record in duplicates)
                group.primary_moved = any(record.is_primary for record in duplicates)
                result.soft_deleted += len(duplicates)
                result.references_repointed += group.references_repointed
                result.primaries_moved += group.primary_moved
        if plans:
            self._apply_start(plans, present=present, quarantined=quarantined)

    def _apply_start(self, plans: list, *, present: dict, quarantined: dict) -> None:
        kept = self._kept = _repoint(plans, self.result)
        keeper_of = {record.pk: keeper.pk for _, keeper, duplicates in kept for record in duplicates}
        if not keeper_of:
            return

        def keepers_still_live(live: set) -> set:
            # The last duplicate must not go if its keeper went meanwhile (deleted in the gallery).
            keepers = set(
                MediaRecord.objects.live()
                .select_for_update()
                .filter(pk__any={keeper_of[dup] for dup in live})
                .values_list("pk", flat=True)
            )
            return {dup for dup in live if keeper_of[dup] in keepers}

        self._underway = SoftDeletesUnderway(
            records=[record for _, _, duplicates in kept for record in duplicates],
            reason=MOVE_REASON,
            present=present,
            quarantined=quarantined,
            pool=self.pool,
            allowed=keepers_still_live,
            on_deleted=lambda going: _events(kept, going),
        )

    def finish(self) -> None:
        """Complete the batch's moves (once: a second call does nothing)."""
        underway, self._underway = self._underway, None
        if underway is None:
            return
        outcome, result = underway.finish(), self.result
        deleted = set(outcome.deleted) | set(outcome.already_deleted)  # either way, it is gone
        for group, _, duplicates in self._kept:
            for record in duplicates:
                if record.pk in deleted:
                    group.soft_deleted_ids.append(str(record.pk))
                else:
                    group.failed_ids.append(str(record.pk))
                    why = outcome.failed.get(record.pk, "not moved")
                    result.problems.append(f"{record.pk} ({record.file_path}) stays live: {why}")
        result.soft_deleted += len(outcome.deleted) + len(outcome.already_deleted)
        result.problems += [f"The original {line} stays until the next run" for line in outcome.unfinished]


@transaction.atomic
def _repoint(plans: list, result: DedupResult) -> list:
    """Move every reference and primary flag of the plans' duplicates to their keepers, in one
    transaction; returns the plans still to carry out (a keeper deleted or moved to another
    person meanwhile drops its group, such a duplicate leaves it)."""
    people = {keeper.person_id for _, keeper, _ in plans}
    list(Person.objects.select_for_update().filter(pk__any=people).values_list("pk", flat=True))
    ids = [record.pk for _, keeper, duplicates in plans for record in (keeper, *duplicates)]
    # Still live and still their person's (a record moved to another person meanwhile is not
    # this group's any more). The people also let PostgreSQL read their index rather than the
    # whole table, which it prefers for a thousand keys alone.
    still = MediaRecord.objects.live().filter(person_id__any=people, pk__any=ids).order_by()
    live = dict(still.values_list("pk", "is_primary"))
    kept = []
    for group, keeper, duplicates in plans:
        if keeper.pk not in live:
            result.problems.append(
                f"{keeper.pk} ({keeper.file_path}), the record to keep, is no longer live: the rest "
                "of its group was left live; run media_dedup again"
            )
            group.failed_ids = [str(record.pk) for record in duplicates]
            continue
        kept.append((group, keeper, [record for record in duplicates if record.pk in live]))
    keeper_of = {record.pk: keeper.pk for _, keeper, duplicates in kept for record in duplicates}
    if not keeper_of:
        return kept
    references = dict(
        AffiliateSnapshot.objects.filter(media_locator_id__any=keeper_of)
        .values("media_locator_id")
        .annotate(count=Count("id"))
        .values_list("media_locator_id", "count")
    )
    if references:
        AffiliateSnapshot.objects.filter(media_locator_id__any=references).update(
            media_locator_id=Case(
                *(When(media_locator_id=dup, then=Value(keeper_of[dup])) for dup in references),
                output_field=UUIDField(),
            )
        )
    primaries = [dup for dup in keeper_of if live[dup]]
    if primaries:
        MediaRecord.objects.filter(pk__any=primaries).update(is_primary=False)
        MediaRecord.objects.filter(pk__any={keeper_of[dup] for dup in primaries}).update(is_primary=True)
    for group, _, duplicates in kept:
        group.references_repointed = sum(references.get(record.pk, 0) for record in duplicates)
        group.primary_moved = any(live[record.pk] for record in duplicates)
        result.references_repointed += group.references_repointed
        result.primaries_moved += group.primary_moved
    return kept


def _events(kept: list, going: list[Member]) -> None:
    """One "media.deduplicated" event per person of the batch that lost duplicates, listing each
    of their groups: a person's history shows one line for a run, not one per image."""
    gone = defaultdict(list)
    for record in going:
        gone[(record.person_id, record.sha256)].append(record)
    merged_of = defaultdict(list)  # person id → [(group, keeper, duplicates merged)]
    for group, keeper, _ in kept:
        merged = gone.get((keeper.person_id, keeper.sha256))
        if merged:
            merged_of[keeper.person_id].append((group, keeper, merged))
    events = []
    for person_id, merges in merged_of.items():
        first, duplicates = merges[0][1], sum(len(merged) for _, _, merged in merges)
        if len(merges) == 1:  # one kept image: the event is about it
            into, subject = first.file_path.rsplit("/", 1)[-1], (SUBJECT_TYPE, str(first.pk))
        else:
            into, subject = f"{len(merges)} kept images", ("", "")
        events.append(
            event_row(
                kind="media.deduplicated",
                summary=f"{duplicates} duplicate image(s) merged into {into}",
                at=None,
                person_id=person_id,
                username=first.username,
                subject_type=subject[0],
                subject_id=subject[1],
                data={"groups": [_group_data(*merge) for merge in merges]},
            )
        )
    event_rows_record(events)


def _group_data(group: DuplicateGroup, keeper: Member, merged: list[Member]) -> dict:
    """What a dedup event keeps of one group it merged."""
    return {
        "sha256": keeper.sha256,
        "kept": str(keeper.pk),
        "duplicates": [str(record.pk) for record in merged],
        "references_repointed": group.references_repointed,
        "primary_moved": group.primary_moved,
    }
