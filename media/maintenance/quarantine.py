"""The files of soft-deleted records that are still at their original key (the record was
deleted before files were quarantined, or a move was cut short), moved into quarantine with
verified, journalled moves.

Soft-deleted records are read in key order, a batch at a time: one listing of each folder of the
batch and of its quarantine twin, one query for the keys live records use, then the batch's
moves made together (`moves_verified_many`: journalled in one INSERT, copied by a pool of
workers, verified, the originals removed once a transaction has checked each record is still
deleted and its key used by no live record).
"""

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from django.conf import settings

from media.keys import quarantine_key
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.models import MediaRecord
from media.services import moves_recover
from media.services.bulk_moves import Move, listings, moves_plan, moves_verified_many
from media.storage import file_exists

MOVE_REASON = "quarantine-deleted"


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


def deleted_files_quarantine(
    *,
    apply: bool,
    batch_size: int = 500,
    workers: int | None = None,
    progress: ProgressFactory = no_progress,
) -> QuarantineReport:
    """Move (or with `apply=False`, list) the files of soft-deleted records still at their key,
    `workers` storage requests at once (default: the MEDIA_MAINTENANCE_WORKERS setting).

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
    workers = workers or settings.MEDIA_MAINTENANCE_WORKERS
    with ThreadPoolExecutor(workers, thread_name_prefix="media-quarantine") as pool:
        for batch in batches(records, batch_size):
            try:
                _settle(report, batch, apply=apply, pool=pool)
            except Exception as error:  # a listing refused, …: the rest of the batch waits
                _failed_rest(report, batch, f"{type(error).__name__}: {error}")
            bar.advance(len(batch))
    bar.close()
    return report


def _failed_rest(report: QuarantineReport, batch: list[MediaRecord], error: str) -> None:
    """Every record of `batch` not yet reported on, as failed with `error`."""
    reported = {row["id"] for row in report.moves + report.failed}
    for record in batch:
        if str(record.id) not in reported:
            report.failed.append(_row(record, target=quarantine_key(record.file_path), error=error))


def _settle(report: QuarantineReport, batch: list[MediaRecord], *, apply: bool, pool: Executor) -> None:
    """Note where each deleted record's file is, and (with `apply`) move those still in place."""
    keys = [record.file_path for record in batch]
    present, quarantined = listings(keys, pool)
    in_use = set(MediaRecord.objects.live().filter(file_path__in=keys).values_list("file_path", flat=True))
    to_move: dict[str, MediaRecord] = {}
    for record in batch:
        key, target = record.file_path, quarantine_key(record.file_path)
        if key not in present or key in to_move:  # a second deleted record of the key: moved once
            _note_absent(report, record, in_quarantine=target in quarantined or key in to_move)
        elif key in in_use:
            if target in quarantined:
                report.already_quarantined += 1
            else:
                report.in_use.append(_row(record))
        elif not apply:
            report.moves.append(_row(record, target=target))
        else:
            to_move[key] = record
    if to_move:
        _quarantine(report, to_move, quarantined, pool)


def _note_absent(report: QuarantineReport, record: MediaRecord, *, in_quarantine: bool) -> None:
    if in_quarantine:
        report.already_quarantined += 1
    else:
        report.no_file.append(_row(record))


def _quarantine(report: QuarantineReport, records: dict[str, MediaRecord], quarantined: dict, pool) -> None:
    """Move the records' files (by key) into quarantine together."""
    plan = moves_plan(
        wanted=[(key, quarantine_key(key), record.pk) for key, record in records.items()],
        reason=MOVE_REASON,
        targets_listed=quarantined,
        pool=pool,
    )
    for key in plan.missing:  # gone since the listing: perhaps moved by another run
        try:
            _note_absent(report, records[key], in_quarantine=file_exists(quarantine_key(key)))
        except Exception as error:
            report.failed.append(_row(records[key], target=quarantine_key(key), error=str(error)))
    for key, why in plan.failed.items():
        report.failed.append(_row(records[key], target=quarantine_key(key), error=why))
    refusals: dict = {}

    def still_deleted(verified: list[Move]) -> set:
        # The originals may only go if each still belongs to a deleted record alone (the row
        # locks keep a restore from slipping in meanwhile).
        ids = [move.record_id for move in verified]
        deleted = set(
            MediaRecord.objects.select_for_update()
            .filter(pk__in=ids, deleted_at__isnull=False)
            .values_list("pk", flat=True)
        )
        sources = [move.source_key for move in verified]
        used = set(
            MediaRecord.objects.live().filter(file_path__in=sources).values_list("file_path", flat=True)
        )
        for move in verified:
            if move.record_id not in deleted:
                refusals[move.pk] = "The record was restored meanwhile."
            elif move.source_key in used:
                refusals[move.pk] = "A live record now uses this key."
        return {move.pk for move in verified if move.pk not in refusals}

    moved = moves_verified_many(moves=plan.moves, pool=pool, commit=still_deleted)
    for move in moved.moved:
        record = records[move.source_key]
        if move.source_key in moved.unfinished:
            why = moved.unfinished[move.source_key]
            error = f"The copy is verified but the original could not be removed: {why}"
            report.failed.append(_row(record, target=move.target_key, error=error))
        else:
            report.moves.append(_row(record, target=move.target_key))
    for move, why in moved.failed:
        report.failed.append(_row(records[move.source_key], target=move.target_key, error=why))
    for move in moved.refused:
        report.failed.append(_row(records[move.source_key], target=move.target_key, error=refusals[move.pk]))
