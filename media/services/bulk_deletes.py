"""Soft-deleting many live records at once, each file moved to quarantine with a verified,
journalled move (`SoftDeletesUnderway`): `media_soft_delete`'s guarantees one file at a time
(see `media.services.moves`) for a whole batch, in a handful of SQL statements, made by
`media.services.bulk_moves`.

Creating a `SoftDeletesUnderway` does the first half (journal, copies handed to the pool) and
its `finish()` the rest, so that a caller can prepare its next batch while the files are copied;
`SoftDeletesUnderway(...).finish()` does it all at once.
"""

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from django.utils import timezone

from media.keys import quarantine_key
from media.models import MediaRecord
from media.services.bulk_moves import Move, MovesUnderway


@dataclass
class BulkDeleteOutcome:
    """What `SoftDeletesUnderway.finish` did: records soft-deleted, and why the others were not."""

    deleted: list = field(default_factory=list)  # record ids
    failed: dict = field(default_factory=dict)  # record id → why it stays live
    already_deleted: list = field(default_factory=list)  # deleted by someone else meanwhile
    unfinished: list[str] = field(default_factory=list)  # originals left for the next run


class SoftDeletesUnderway:
    """`records` (live; `MediaRecord`s or rows with their `pk`, `file_path` and `sha256`) being
    soft-deleted, each file moved to quarantine: creating it journals the moves and hands their
    copies to `pool`; `finish` soft-deletes the records whose move verified and returns the
    outcome.

    `present` and `quarantined` are listings ({key: size}) of the folders the records' keys and
    their quarantine keys are in. A record whose key has no file is soft-deleted without a move.
    `allowed(ids)`, called in the transaction that deletes, returns those of the still-live ids
    that may still go (the rest stay live, their copies removed); `on_deleted(records)` runs in
    that transaction too (events).
    """

    def __init__(
        self,
        *,
        records: list,
        reason: str,
        present: dict[str, int],
        quarantined: dict[str, int],
        pool: Executor,
        allowed: Callable[[set], set] | None = None,
        on_deleted: Callable[[list], None] | None = None,
    ):
        self.outcome = BulkDeleteOutcome()
        self._allowed, self._on_deleted = allowed, on_deleted
        self._by_id = {record.pk: record for record in records}
        self._without_file = set()
        moves = []
        for record in records:
            if record.file_path not in present:
                self._without_file.add(record.pk)
                continue
            if not record.sha256:
                self.outcome.failed[record.pk] = "no sha256 to verify its copy against (run media_sha256)"
                continue
            target = quarantine_key(record.file_path)
            moves.append(
                Move(
                    source_key=record.file_path,
                    target_key=target,
                    reason=reason,
                    size_bytes=present[record.file_path],
                    sha256=record.sha256,
                    target_preexisted=target in quarantined,
                    record_id=record.pk,
                )
            )
        self._moves = MovesUnderway(moves=moves, pool=pool, commit=self._commit)

    def _commit(self, verified: list[Move]) -> set:
        """Soft-delete the records of the verified moves (and those without a file) that may
        still go; returns the ids of their moves. Runs in the moves' transaction."""
        outcome = self.outcome
        candidates = {move.record_id for move in verified} | self._without_file
        live = set(
            MediaRecord.objects.live()
            .select_for_update()
            .filter(pk__any=candidates)
            .values_list("pk", flat=True)
        )
        going = self._allowed(live) if self._allowed is not None else live
        MediaRecord.objects.filter(pk__any=going).update(deleted_at=timezone.now(), is_primary=False)
        for record_id in candidates - going:
            if record_id in live:
                outcome.failed.setdefault(record_id, "kept: its group changed meanwhile")
            else:
                outcome.failed.pop(record_id, None)
                outcome.already_deleted.append(record_id)
        outcome.deleted = sorted(going, key=str)
        if self._on_deleted is not None and going:
            self._on_deleted([self._by_id[record_id] for record_id in going])
        return {move.pk for move in verified if move.record_id in going}

    def finish(self) -> BulkDeleteOutcome:
        moved = self._moves.finish()
        for move, detail in moved.failed:
            self.outcome.failed[move.record_id] = detail
        self.outcome.unfinished = [f"{key}: {error}" for key, error in moved.unfinished.items()]
        return self.outcome
