"""Moving a file in storage without ever having it in two places or none: a journalled,
verified move (copy → verify size and SHA-256 → delete the original).

Every move is written to the journal (`MediaMove`) before it starts and advanced after each
step. The database change that goes with a move (a record marked deleted, restored, …) is made
in the same transaction that marks the copy verified, so the database and storage agree at every
point a crash can hit:

- cut short before the copy was verified: the original is intact and the database unchanged, so
  `moves_recover` rolls back (removes the unverified copy);
- cut short after: the database already says "moved" and a verified copy exists, so
  `moves_recover` finishes (removes the original) — but only once it has checked that the
  original is still what the move was for (an orphan still without a record, a deleted record
  still deleted); otherwise it rolls the copy back and the original stays.

A move is leased to the process making it (`media.services.leases`): recovery leaves alone the
moves another running process holds, and takes over every other unfinished one at once.

Call these outside any transaction: the journal entry must be committed before the file moves.
"""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from media.models import MediaMove, MediaRecord
from media.services.leases import lease_alive, lease_expiry, lease_holder
from media.storage import file_copy, file_delete, file_digest, file_exists
from mhc.exceptions import Conflict

# Moves whose record is live once the move is done; every other move with a record takes the
# file of a deleted record out of the way.
MOVES_TO_A_LIVE_RECORD = frozenset({"restore"})


class MoveError(Conflict):
    """A move that could not be made; the original file is still where it was. A Conflict: every
    interface shows it as it shows any (the API answers 409 with its message)."""


class MoveTakenOver(MoveError):
    """Recovery in another process took the move over (this one's lease had expired): the move
    is left to it, and this process no longer touches its files."""


class MoveUnderWay(MoveError):
    """Another move to the same place is under way (at most one may be: a partial unique index
    on the journal). Nothing was journalled, copied or deleted."""


class SourceMissing(MoveError):
    """There is no file at the source: nothing was journalled, copied or deleted. Callers that
    handle a missing file differently catch this instead of checking for the file first (on S3
    that check is one more request per file)."""


@dataclass(frozen=True)
class RecoveryOutcome:
    """What `moves_recover` did with one unfinished move."""

    move_id: int
    source_key: str
    target_key: str
    action: str  # "finished", "rolled back", "needs attention" or "in progress elsewhere"
    detail: str = ""


def _advance(move: MediaMove, state: str, error: str = "") -> None:
    """Advance `move`, held by this process, to `state`; MoveTakenOver if another process took
    it over meanwhile. In a transaction, its row stays locked until the end."""
    fields = {"state": state, "error": error, "updated_at": timezone.now()}
    if state not in MediaMove.UNFINISHED:
        fields |= {"lease_holder": "", "lease_expires_at": None}
    else:
        fields["lease_expires_at"] = lease_expiry()
    held = MediaMove.objects.filter(pk=move.pk, state=move.state, lease_holder=lease_holder())
    if not held.update(**fields):
        raise MoveTakenOver(
            f"The move of {move.source_key} was taken over by recovery in another process; it is left to it."
        )
    for name, value in fields.items():
        setattr(move, name, value)


def _release(move: MediaMove) -> None:
    """Let recovery take the move over (its process stopped working on it)."""
    MediaMove.objects.filter(pk=move.pk, lease_holder=lease_holder()).update(
        lease_holder="", lease_expires_at=None
    )


def _digest_or_none(key: str):
    try:
        return file_digest(key)
    except FileNotFoundError:
        return None


def move_verified(
    *,
    source: str,
    target: str,
    reason: str,
    record: MediaRecord | None = None,
    on_verified: Callable[[], None] | None = None,
) -> MediaMove:
    """Move the file at `source` to `target`: copy, verify the copy (size and SHA-256 against the
    original's), run `on_verified` in the transaction that records the verification, then delete
    the original. Journalled at every step.

    A file already at `target` with the same bytes counts as the copy (a re-run after a crash);
    a different file there is a MoveError, as is a copy that does not verify (that copy is
    removed; the original stays); a missing source is SourceMissing, a MoveError. If
    `on_verified` raises, the copy is removed and the error propagates. Any other error (storage
    unreachable, …) propagates with the move journalled and released, for recovery to settle.
    """
    try:
        expected = file_digest(source)
    except FileNotFoundError:
        raise SourceMissing(f"There is no file at {source} to move.") from None
    already_there = _digest_or_none(target)
    if already_there is not None and already_there != expected:
        raise MoveError(f"A different file is already at {target}; {source} was left where it is.")
    try:
        with transaction.atomic():
            move = MediaMove.objects.create(
                source_key=source,
                target_key=target,
                reason=reason,
                size_bytes=expected.size,
                sha256=expected.sha256,
                target_preexisted=already_there is not None,
                record=record,
                lease_holder=lease_holder(),
                lease_expires_at=lease_expiry(),
            )
    except IntegrityError as error:
        if not target_taken(error):
            raise
        raise MoveUnderWay(
            f"Another move to {target} is under way; {source} was left where it is. "
            "Try again once it has finished."
        ) from None
    try:
        _carry_out(move, expected, on_verified)
    except BaseException:
        _release(move)
        raise
    return move


def _carry_out(move: MediaMove, expected, on_verified: Callable[[], None] | None) -> None:
    source, target = move.source_key, move.target_key
    if not move.target_preexisted:
        try:
            file_copy(source, target)
        except Exception as error:
            _roll_back(move, f"The copy failed: {error}")
            raise MoveError(f"Copying {source} to {target} failed: {error}") from error
        _advance(move, MediaMove.State.COPIED)
    copied = _digest_or_none(target)
    if copied != expected:
        found = f"{copied.size} bytes, sha256 {copied.sha256}" if copied else "no file"
        _roll_back(move, f"The copy did not verify: expected {expected.size} bytes, found {found}.")
        raise MoveError(f"The copy of {source} at {target} did not verify ({found}); the original stays.")
    try:
        with transaction.atomic():
            _advance(move, MediaMove.State.VERIFIED)
            if on_verified is not None:
                on_verified()
    except MoveTakenOver:
        raise
    except Exception as error:
        move.refresh_from_db()
        _roll_back(move, f"The database change failed: {error}")
        raise
    # Still ours (the lease renewed) right before the original goes: had recovery elsewhere
    # settled the move meanwhile, the file at the source could be a restored one. Taken over,
    # the move is recovery's to finish: the database change is made.
    try:
        _advance(move, MediaMove.State.VERIFIED)
    except MoveTakenOver:
        return
    file_delete(source)
    with suppress(MoveTakenOver):  # recovery finished it too: done either way
        _advance(move, MediaMove.State.DONE)


def target_in_use(key: str) -> bool:
    """Whether a live record's file is at `key` (then nothing may remove it)."""
    return MediaRecord.objects.live().filter(file_path=key).exists()


def target_taken(error: IntegrityError) -> bool:
    """Whether `error` is the journal refusing a second unfinished move to one place (and not,
    say, a record deleted meanwhile): PostgreSQL names the index, SQLite the column."""
    said = str(error)
    return "media_move_one_unfinished_per_target" in said or "media_move_journal.target_key" in said


def targets_under_way(keys) -> set:
    """Those of `keys` that an unfinished move has as its target: no other move may start to
    them until it has finished (the journal's partial unique index refuses it)."""
    return set(
        MediaMove.objects.filter(target_key__any=set(keys), state__in=MediaMove.UNFINISHED).values_list(
            "target_key", flat=True
        )
    )


def _roll_back(move: MediaMove, why: str) -> None:
    """Undo a copy: the original is intact, so removing our copy loses nothing. The copy stays
    when it was there before the move, when the original is gone, or when it is a live record's
    file. No other move can be counting on it: while this one is unfinished, none can start to
    its target."""
    if not move.target_preexisted and file_exists(move.source_key) and not target_in_use(move.target_key):
        file_delete(move.target_key)
    _advance(move, MediaMove.State.ROLLED_BACK, why)


def source_still_meant(move: MediaMove) -> str:
    """Why the original of `move` may no longer be removed ("" if it still may): the move of an
    orphan, or of a record since hard-deleted, needs the file still without a record; the move
    of a deleted record's file needs the record still deleted and no live record on its key; a
    restore needs the record live again."""
    if move.record_id is None:
        if MediaRecord.objects.filter(file_path=move.source_key).exists():
            return "a record now has the original's key"
        return ""
    record = MediaRecord.objects.filter(pk=move.record_id).only("deleted_at").first()
    if move.reason in MOVES_TO_A_LIVE_RECORD:
        return "" if record is not None and record.deleted_at is None else "the record is no longer live"
    if record is None or record.deleted_at is None:
        return "the record is live again"
    if target_in_use(move.source_key):
        return "a live record now uses the original's key"
    return ""


def _recover(move: MediaMove) -> RecoveryOutcome:
    def outcome(action: str, detail: str = "") -> RecoveryOutcome:
        return RecoveryOutcome(move.pk, move.source_key, move.target_key, action, detail)

    source_there = file_exists(move.source_key)
    target = _digest_or_none(move.target_key)
    target_verified = target is not None and (target.size, target.sha256) == (move.size_bytes, move.sha256)
    if move.state == MediaMove.State.VERIFIED:
        if not target_verified:
            detail = "The verified copy is missing or changed; the original was not touched."
            _advance(move, MediaMove.State.FAILED, detail)
            return outcome("needs attention", detail)
        if source_there:
            changed = source_still_meant(move)
            if changed:
                _roll_back(move, f"Not finished: {changed}; the original stays.")
                return outcome("rolled back", f"{changed}: removed the copy; the original stays")
            file_delete(move.source_key)
        _advance(move, MediaMove.State.DONE)
        return outcome("finished", "removed the original; the verified copy stays")
    # Intent or copied: the database never recorded the move, so it is undone.
    if source_there:
        _roll_back(move, "Interrupted before the copy was verified; rolled back by recovery.")
        return outcome("rolled back", "removed the unverified copy; the original stays")
    detail = "The original is gone" + (
        " but a matching copy exists." if target_verified else " and so is the copy."
    )
    _advance(move, MediaMove.State.FAILED, detail)
    return outcome("needs attention", detail)


def _take_over(move: MediaMove) -> bool:
    """Lease `move` to this process unless another live one holds it (one UPDATE decides)."""
    if lease_alive(move.lease_holder, move.lease_expires_at):
        return False
    mine, expires = lease_holder(), lease_expiry()
    taken = MediaMove.objects.filter(
        pk=move.pk,
        state=move.state,
        lease_holder=move.lease_holder,
        lease_expires_at=move.lease_expires_at,  # not renewed since it was read
    ).update(lease_holder=mine, lease_expires_at=expires, updated_at=timezone.now())
    if taken:
        move.lease_holder, move.lease_expires_at = mine, expires
    return bool(taken)


def moves_recover(*, record: MediaRecord | None = None) -> list[RecoveryOutcome]:
    """Finish or roll back every unfinished move no running process holds (or only those of
    `record`), whatever its age. A move another process holds is reported as "in progress
    elsewhere" and left to it. A storage error on one move is reported as "needs attention"
    (the move stays unfinished for the next run) and the others carry on."""
    unfinished = MediaMove.objects.filter(state__in=MediaMove.UNFINISHED)
    if record is not None:
        unfinished = unfinished.filter(record=record)
    outcomes = []
    for move in unfinished.order_by("created_at").iterator(chunk_size=500):
        if not _take_over(move):
            why = f"held by {move.lease_holder or 'another process'}"
            outcomes.append(
                RecoveryOutcome(move.pk, move.source_key, move.target_key, "in progress elsewhere", why)
            )
            continue
        try:
            outcomes.append(_recover(move))
        except Exception as error:
            _release(move)
            detail = f"Recovery failed ({type(error).__name__}: {error}); the next run tries again."
            outcomes.append(
                RecoveryOutcome(move.pk, move.source_key, move.target_key, "needs attention", detail)
            )
    return outcomes
