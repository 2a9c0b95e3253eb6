"""The files of soft-deleted records that are still at their original key (the record was
deleted before files were quarantined, or a move was cut short), moved into quarantine with a
verified, journalled move.

Soft-deleted records are read in key order and checked against a listing of their folder and
of its quarantine twin, one folder at a time, so a library of any size costs at most two listings per
folder rather than a request per record.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from media.keys import quarantine_key
from media.maintenance.run import ProgressFactory, no_progress
from media.models import MediaRecord
from media.services import MoveError, SourceMissing, move_verified, moves_recover
from media.storage import FolderListing, file_exists

MOVE_REASON = "quarantine-deleted"


class _NoLongerDeleted(Exception):
    """The record was restored, or a live record took its key, while its file was being copied."""


@dataclass
class QuarantineReport:
    """What `deleted_files_quarantine` found and did; every list is complete."""

    deleted_records: int = 0
    already_quarantined: int = 0
    moves: list[dict] = field(default_factory=list)  # made, or (dry run) to be made
    failed: list[dict] = field(default_factory=list)
    no_file: list[dict] = field(default_factory=list)
    in_use: list[dict] = field(default_factory=list)  # the file at the key is a live record's
    recovered: list[dict] = field(default_factory=list)

    @property
    def needs_attention(self) -> list[dict]:
        return [outcome for outcome in self.recovered if outcome["action"] == "needs attention"]


def _row(record: MediaRecord, **extra) -> dict:
    return {"id": str(record.id), "person_id": str(record.person_id), "key": record.file_path, **extra}


def _still_deleted(record: MediaRecord) -> Callable[[], None]:
    """Run where the copy is recorded as verified: the original may only go if it still belongs
    to a deleted record alone (the row lock keeps a restore from slipping in meanwhile)."""

    def check() -> None:
        locked = MediaRecord.objects.select_for_update().filter(pk=record.pk, deleted_at__isnull=False)
        if not list(locked.values_list("pk", flat=True)):
            raise _NoLongerDeleted("The record was restored meanwhile.")
        if MediaRecord.objects.live().filter(file_path=record.file_path).exists():
            raise _NoLongerDeleted("A live record now uses this key.")

    return check


def deleted_files_quarantine(
    *, apply: bool, batch_size: int = 500, progress: ProgressFactory = no_progress
) -> QuarantineReport:
    """Move (or with `apply=False`, list) the files of soft-deleted records still at their key.

    Applied, it first finishes or rolls back the moves an earlier run left unfinished. An error
    on one record (storage unreachable, …) lists it in `failed` and the run goes on.
    """
    report = QuarantineReport(deleted_records=MediaRecord.objects.deleted().count())
    if apply:
        report.recovered = [asdict(outcome) for outcome in moves_recover()]
    records = (
        MediaRecord.objects.deleted()
        .only("id", "person_id", "file_path")
        .order_by("file_path")
        .iterator(chunk_size=batch_size)
    )
    bar = progress("Checking deleted records", report.deleted_records)
    present, quarantined = FolderListing(), FolderListing()  # a folder and its quarantine twin
    for record in records:
        try:
            _check(report, record, apply=apply, present=present, quarantined=quarantined)
        except Exception as error:  # storage unreachable, …: this record waits for the next run
            target = quarantine_key(record.file_path)
            report.failed.append(_row(record, target=target, error=f"{type(error).__name__}: {error}"))
        bar.advance()
    bar.close()
    return report


def _check(
    report: QuarantineReport,
    record: MediaRecord,
    *,
    apply: bool,
    present: FolderListing,
    quarantined: FolderListing,
) -> None:
    """Settle one deleted record: note where its file is, or (with `apply`) move it."""
    key, target = record.file_path, quarantine_key(record.file_path)
    if key not in present:
        _note_absent(report, record, in_quarantine=target in quarantined)
    elif MediaRecord.objects.live().filter(file_path=key).exists():
        if target in quarantined:
            report.already_quarantined += 1
        else:
            report.in_use.append(_row(record))
    elif not apply:
        report.moves.append(_row(record, target=target))
    elif _quarantine(report, record):
        quarantined.add(target, present.size(key))
        present.discard(key)


def _note_absent(report: QuarantineReport, record: MediaRecord, *, in_quarantine: bool) -> None:
    if in_quarantine:
        report.already_quarantined += 1
    else:
        report.no_file.append(_row(record))


def _quarantine(report: QuarantineReport, record: MediaRecord) -> bool:
    """Move one record's file into quarantine; True once it is there."""
    key, target = record.file_path, quarantine_key(record.file_path)
    try:
        move_verified(
            source=key, target=target, reason=MOVE_REASON, record=record, on_verified=_still_deleted(record)
        )
    except SourceMissing:
        in_quarantine = file_exists(target)
        _note_absent(report, record, in_quarantine=in_quarantine)
        return in_quarantine
    except (MoveError, _NoLongerDeleted) as error:
        report.failed.append(_row(record, target=target, error=str(error)))
        return False
    except Exception as error:  # storage unreachable, …: the move is journalled for recovery
        report.failed.append(_row(record, target=target, error=f"{type(error).__name__}: {error}"))
        return False
    report.moves.append(_row(record, target=target))
    return True
