"""Many verified, journalled moves at once (`moves_verified_many`, or a `MovesUnderway` and
then its `finish()`, to prepare other work while the pool copies): the same guarantees as `move_verified`
one file at a time (see `media.services.moves`), at the cost of a handful of SQL statements for
the whole batch. `media.services.bulk_deletes` soft-deletes records with them.

For a batch: every move is journalled in one INSERT; the files are copied by a pool of workers
(inside the bucket on S3, each copy's SHA-256 checked against the record's, as S3 reports it;
locally a hard link, checked to be the original's inode with the size expected);
one transaction marks the verified moves and makes the database change that goes with them
(soft-deletes their records and the records without a file, or checks that the originals are
still what the moves were for); then the originals are removed (a thousand per request on S3)
and the moves marked done. A kill at any point leaves journalled moves that the next run's
recovery finishes or rolls back; a storage error leaves that file where it was and the others
carry on.

Database work stays on the calling thread; the workers only touch storage. A batch's moves are
plain objects (`Move`), journalled as rows (`mhc.rows.rows_insert`): no model instance a file.
"""

from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from media.keys import quarantine_key
from media.models import MediaMove
from media.services.leases import lease_expiry, lease_holder
from media.services.moves import MoveUnderWay, target_taken, targets_under_way
from media.storage import (
    FileDigest,
    file_copy_checked,
    file_digest,
    file_exists,
    files_delete,
    folder_files,
    folder_of,
    uses_s3,
)
from mhc.rows import rows_insert


@dataclass(slots=True)
class Move:
    """One file move of a batch, as its journal entry (`MediaMove`) records it; `pk` is the
    entry's id once journalled. A plain object: a batch holds thousands."""

    source_key: str
    target_key: str
    reason: str
    size_bytes: int
    sha256: str
    target_preexisted: bool = False
    record_id: Any = None
    pk: int | None = None


@dataclass(slots=True)
class _Copy:
    move: Move
    ok: bool = False
    made: bool = False  # we wrote the copy (so a rollback may remove it)
    detail: str = ""


def _copy_one(copy: _Copy) -> _Copy:
    """Copy (or find already there) and verify one file. Storage only: runs on a worker."""
    move = copy.move
    try:
        if move.target_preexisted:
            differs = _differs_there(move)
        else:
            try:
                differs = file_copy_checked(
                    move.source_key, move.target_key, FileDigest(move.size_bytes, move.sha256)
                )
                copy.made = True
            except FileExistsError:
                differs = _differs_there(move)
        if not differs:
            copy.ok = True
            return copy
        copy.detail = f"the copy at {move.target_key} did not verify ({differs})"
    except FileNotFoundError:
        copy.detail = f"there is no file at {move.source_key} any more"
    except Exception as error:
        copy.detail = f"{type(error).__name__}: {error}"
    _undo_copy(copy)
    return copy


def _differs_there(move: Move) -> str:
    """What the file already at the move's target holds, where it is not the move's bytes."""
    found = file_digest(move.target_key).sha256
    return "" if found == move.sha256 else f"sha256 {found}"


# Copies (or folder listings) handed to a worker at once on local storage, where one takes a
# few microseconds of system calls and handing each to a thread would cost more than making it.
LOCAL_COPIES_A_TASK = 64


def _on_pool(pool: Executor, work: Callable[[Any], Any], items: list) -> Iterator[Any]:
    """`work` applied to every item (a copy, a folder) on `pool`, the results in order: one a
    task on S3 (each waits on a request), `LOCAL_COPIES_A_TASK` a task locally. Every task is
    handed to the pool at once; the results are waited for as they are read."""
    size = 1 if uses_s3() else LOCAL_COPIES_A_TASK
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    done = pool.map(lambda part: [work(item) for item in part], parts)
    return (result for part in done for result in part)


def _undo_copy(copy: _Copy) -> None:
    """Remove a copy this batch wrote, while its original is still there."""
    if not copy.made:
        return
    try:
        if file_exists(copy.move.source_key):
            files_delete([copy.move.target_key])
            copy.made = False
    except Exception as error:
        copy.detail += f" (and the copy could not be removed: {error}; recovery will)"


def _journal(moves: list[Move]) -> None:
    """Journal `moves` (intent, leased to this process) and give each its entry's id."""
    holder, expires = lease_holder(), lease_expiry()
    entries = [
        {
            "source_key": move.source_key,
            "target_key": move.target_key,
            "reason": move.reason,
            "size_bytes": move.size_bytes,
            "sha256": move.sha256,
            "target_preexisted": move.target_preexisted,
            "record_id": move.record_id,
            "lease_holder": holder,
            "lease_expires_at": expires,
        }
        for move in moves
    ]
    for move, pk in zip(moves, rows_insert(MediaMove, entries, batch_size=500), strict=True):
        move.pk = pk


def _ours(moves: Iterable[Move], state: str) -> set:
    """The ids of `moves` still this process's to settle: in `state` and leased to it. Called in
    a transaction, which keeps those rows locked (the database, on SQLite) until it ends: a
    process whose lease expired does not lose a move it is making unless recovery in another
    process took the move over first, and then leaves it to that. Locked, not rewritten: the
    change that follows in the transaction (`_mark`) renews the leases."""
    pks = [move.pk for move in moves]
    if not pks:
        return set()
    mine = MediaMove.objects.select_for_update().filter(pk__any=pks, state=state, lease_holder=lease_holder())
    return set(mine.values_list("pk", flat=True))


def _mark(moves: Iterable[Move], state: str, *, was: str) -> None:
    """Advance those of `moves` that are still this process's, in state `was`, to `state`: their
    leases renewed, or released once the move is final."""
    pks = [move.pk for move in moves]
    if not pks:
        return
    fields = {"state": state, "updated_at": timezone.now(), "lease_expires_at": lease_expiry()}
    if state not in MediaMove.UNFINISHED:
        fields |= {"lease_holder": "", "lease_expires_at": None}
    MediaMove.objects.filter(pk__any=pks, state=was, lease_holder=lease_holder()).update(**fields)


@transaction.atomic
def _mark_rolled_back(copies: list[_Copy]) -> None:
    ours = _ours((copy.move for copy in copies), MediaMove.State.INTENT)
    if ours:
        MediaMove.objects.bulk_update(
            [
                MediaMove(
                    pk=copy.move.pk,
                    state=MediaMove.State.ROLLED_BACK,
                    error=copy.detail[:2000],
                    updated_at=timezone.now(),
                    lease_holder="",
                    lease_expires_at=None,
                )
                for copy in copies
                if copy.move.pk in ours
            ],
            ["state", "error", "updated_at", "lease_holder", "lease_expires_at"],
            batch_size=500,
        )


def _release(moves: Iterable[Move], settled: Container) -> None:
    """Release this process's leases on the unsettled of `moves`, for recovery to settle now."""
    left = [move.pk for move in moves if move.pk is not None and move.pk not in settled]
    if left:
        MediaMove.objects.filter(
            pk__any=left, state__in=MediaMove.UNFINISHED, lease_holder=lease_holder()
        ).update(lease_holder="", lease_expires_at=None)


def listings_start(
    keys: list[str], pool: Executor, *, quarantine_folder: str | None = ""
) -> Callable[[], tuple[dict, dict]]:
    """Hand `pool` the listings `listings` reads; returns what, called, waits for them and gives
    `listings`' answer."""
    folders = sorted({folder_of(key) for key in keys})
    twins = (
        []
        if quarantine_folder is None
        else [quarantine_key(folder, folder=quarantine_folder) for folder in folders]
    )
    listed = _on_pool(pool, folder_files, folders + twins)

    def collected() -> tuple[dict, dict]:
        present: dict[str, int] = {}
        quarantined: dict[str, int] = {}
        for n, files in enumerate(listed):
            (present if n < len(folders) else quarantined).update(files)
        return present, quarantined

    return collected


def listings(keys: list[str], pool: Executor, *, quarantine_folder: str | None = "") -> tuple[dict, dict]:
    """({key: size} of the folders of `keys`, and of their twins under QUARANTINE/[folder/], or
    an empty dict when `quarantine_folder` is None): one listing a folder, on `pool`."""
    return listings_start(keys, pool, quarantine_folder=quarantine_folder)()


@dataclass
class PlannedMoves:
    """What `moves_plan` found: the moves to make, and the sources that cannot move."""

    moves: list[Move] = field(default_factory=list)  # not journalled yet
    missing: list[str] = field(default_factory=list)  # sources with no file
    failed: dict[str, str] = field(default_factory=dict)  # source → why it cannot move


def _planned(source: str, target: str, target_listed: bool):
    """(digest of the source, whether the target already holds the same bytes) or an error
    message. Storage only: runs on a worker."""
    try:
        expected = file_digest(source)
    except FileNotFoundError:
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    if not target_listed:
        return expected, False
    try:
        there = file_digest(target)
    except FileNotFoundError:
        return expected, False
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    if there != expected:
        return f"A different file is already at {target}; {source} was left where it is."
    return expected, True


def moves_plan(
    *, wanted: list[tuple[str, str, Any]], reason: str, targets_listed: Container[str], pool: Executor
) -> PlannedMoves:
    """Moves (not journalled yet, for `moves_verified_many`) of each (source, target, record
    id) of `wanted`, from the bytes of each source as read now on `pool` (as `move_verified`
    does). A file already at a target (`targets_listed`, a listing) counts as the copy when its
    bytes are the same and stops that move otherwise."""
    plan = PlannedMoves()
    found = pool.map(lambda item: _planned(item[0], item[1], item[1] in targets_listed), wanted)
    for (source, target, record_id), result in zip(wanted, found, strict=True):
        if result is None:
            plan.missing.append(source)
        elif isinstance(result, str):
            plan.failed[source] = result
        else:
            digest, preexisted = result
            plan.moves.append(
                Move(
                    source_key=source,
                    target_key=target,
                    reason=reason,
                    size_bytes=digest.size,
                    sha256=digest.sha256,
                    target_preexisted=preexisted,
                    record_id=record_id,
                )
            )
    return plan


@dataclass
class BulkMoveOutcome:
    """What `moves_verified_many` did with each move."""

    moved: list[Move] = field(default_factory=list)  # verified; the original removed or unfinished
    failed: list[tuple[Move, str]] = field(default_factory=list)  # not verified: the original stays
    refused: list[Move] = field(default_factory=list)  # `commit` kept it: the original stays
    unfinished: dict[str, str] = field(default_factory=dict)  # original left for the next run → why


class MovesUnderway:
    """Moves journalled (in one INSERT) and handed to the pool to copy when it is created, with
    `moves_verified_many`'s arguments; `finish` completes them as that function does.

    The database work of other batches can run meanwhile on the calling thread while the pool
    copies: a batch's files are copied while the next batch is read and prepared.
    """

    def __init__(self, *, moves: list[Move], pool: Executor, commit: Callable[[list[Move]], set]):
        under_way = targets_under_way(move.target_key for move in moves)  # none: no statement
        # Another move to the same place is under way (a delete in the gallery, another run):
        # this one is not started; its original stays, and the next run moves it.
        self.blocked = [move for move in moves if move.target_key in under_way]
        moves = [move for move in moves if move.target_key not in under_way]
        self.moves, self.pool, self.commit = moves, pool, commit
        if moves:
            try:
                with transaction.atomic():  # all journalled or none
                    _journal(moves)
            except IntegrityError as error:
                if not target_taken(error):
                    raise
                raise MoveUnderWay(
                    "Another move to one of this batch's places started meanwhile; nothing of the "
                    "batch was journalled, copied or removed. Run it again."
                ) from None
        try:
            self._copies = _on_pool(pool, _copy_one, [_Copy(move) for move in moves])
        except BaseException:
            _release(moves, ())
            raise

    def finish(self) -> BulkMoveOutcome:
        """Wait for the copies, then (in one transaction) `commit` the verified ones still this
        process's and mark those whose original may go verified; remove those originals and
        mark them done. A move recovery took over meanwhile (another process, after this one's
        lease expired) is left to it, its original where it is. What stops this leaves its
        unfinished moves released, for recovery to settle at once."""
        outcome = BulkMoveOutcome()
        settled: set = set()  # ids of the moves whose entry is final (done, rolled back) or not ours
        try:
            copies = list(self._copies)
            failed = [copy for copy in copies if not copy.ok]
            _mark_rolled_back(failed)
            settled.update(copy.move.pk for copy in failed)
            verified = [copy for copy in copies if copy.ok]
            with transaction.atomic():
                ours = _ours((copy.move for copy in verified), MediaMove.State.INTENT)
                going = self.commit([copy.move for copy in verified if copy.move.pk in ours])
                _mark(
                    [copy.move for copy in verified if copy.move.pk in going],
                    MediaMove.State.VERIFIED,
                    was=MediaMove.State.INTENT,
                )
            # A move taken over is recovery's to roll back, copy included: this process no
            # longer touches it (a new move may have found the copy there and counted on it).
            taken = [copy for copy in verified if copy.move.pk not in ours]
            for copy in taken:
                copy.detail = "taken over by recovery in another process (this one's lease had expired)"
            settled.update(copy.move.pk for copy in taken)
            refused = [copy for copy in verified if copy.move.pk in ours and copy.move.pk not in going]
            if refused:
                # No other move can count on these copies: none may start to their targets
                # while these are unfinished (the journal's partial unique index).
                list(_on_pool(self.pool, _undo_copy, refused))
                _mark_rolled_back(refused)
                settled.update(copy.move.pk for copy in refused)
            outcome.failed = [(copy.move, copy.detail) for copy in failed + taken]
            outcome.failed += [(move, "another move to its place is under way") for move in self.blocked]
            outcome.refused = [copy.move for copy in refused]
            outcome.moved = [copy.move for copy in verified if copy.move.pk in going]
            settled.update(_remove_originals(outcome.moved, outcome))
        finally:
            # Whatever stopped this batch, what is left unfinished is for recovery to settle now
            # (after a batch that ran to its end: the originals that could not be removed).
            _release(self.moves, settled)
        return outcome


def moves_verified_many(
    *, moves: list[Move], pool: Executor, commit: Callable[[list[Move]], set]
) -> BulkMoveOutcome:
    """Make many verified, journalled moves at once, with `move_verified`'s guarantees.

    `moves` are not journalled yet, each with the size and SHA-256 its copy must have and
    whether a file with those bytes is already at its target. All are journalled in one INSERT,
    copied by `pool` and verified; then, in one transaction, `commit(verified)` makes the
    database change that goes with them and returns the ids of those whose original may go
    (the other copies are removed), which are marked verified in the same transaction; then the
    originals are removed and the moves marked done. `commit` runs even when no copy verified.
    """
    return MovesUnderway(moves=moves, pool=pool, commit=commit).finish()


def _remove_originals(done: list[Move], outcome: BulkMoveOutcome) -> list:
    """Remove the originals of the verified moves `done` (their leases renewed as they were
    marked verified, just before) and mark those removed done; returns their ids."""
    failed = files_delete([move.source_key for move in done])
    outcome.unfinished.update(failed)
    removed = [move for move in done if move.source_key not in failed]
    _mark(removed, MediaMove.State.DONE, was=MediaMove.State.VERIFIED)
    return [move.pk for move in removed]
