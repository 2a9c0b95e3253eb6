"""Moving a file in storage without ever having it in two places or none: a journalled,
verified move (copy → verify size and SHA-256 → delete the original).

Every move is written to the journal (`MediaMove`) before it starts and advanced after each
step. The database change that goes with a move (a record marked deleted, restored, …) is made
in the same transaction that marks the copy verified, so the database and storage agree at every
point a crash can hit:

- cut short before the copy was verified: the original is intact and the database unchanged, so
  `moves_recover` rolls back (removes the unverified copy);
- cut short after: the database already says "moved" and a verified copy exists, so
  `moves_recover` finishes (removes the original).

Call these outside any transaction: the journal entry must be committed before the file moves.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from media.models import MediaMove, MediaRecord
from media.storage import file_copy, file_delete, file_digest, file_exists


class MoveError(Exception):
    """A move that could not be made; the original file is still where it was."""


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
    action: str  # "finished", "rolled back" or "needs attention"
    detail: str = ""


def _advance(move: MediaMove, state: str, error: str = "") -> None:
    move.state = state
    move.error = error
    move.save(update_fields=["state", "error", "updated_at"])


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
    `on_verified` raises, the copy is removed and the error propagates.
    """
    try:
        expected = file_digest(source)
    except FileNotFoundError:
        raise SourceMissing(f"There is no file at {source} to move.") from None
    already_there = _digest_or_none(target)
    if already_there is not None and already_there != expected:
        raise MoveError(f"A different file is already at {target}; {source} was left where it is.")
    move = MediaMove.objects.create(
        source_key=source,
        target_key=target,
        reason=reason,
        size_bytes=expected.size,
        sha256=expected.sha256,
        target_preexisted=already_there is not None,
        record=record,
    )
    if already_there is None:
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
    except Exception as error:
        _roll_back(move, f"The database change failed: {error}")
        raise
    file_delete(source)
    _advance(move, MediaMove.State.DONE)
    return move


def _roll_back(move: MediaMove, why: str) -> None:
    """Undo an unverified copy: the original is intact, so removing our copy loses nothing."""
    if not move.target_preexisted and file_exists(move.source_key):
        file_delete(move.target_key)
    _advance(move, MediaMove.State.ROLLED_BACK, why)


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


def moves_recover(
    *, older_than: timedelta = timedelta(minutes=5), record: MediaRecord | None = None
) -> list[RecoveryOutcome]:
    """Finish or roll back every move left unfinished for longer than `older_than` (a running
    move takes well under a second, so an older unfinished one was cut short), or only those
    of `record`."""
    unfinished = MediaMove.objects.filter(state__in=MediaMove.UNFINISHED)
    if record is not None:
        unfinished = unfinished.filter(record=record)
    else:
        unfinished = unfinished.filter(updated_at__lte=timezone.now() - older_than)
    return [_recover(move) for move in unfinished.order_by("created_at")]
