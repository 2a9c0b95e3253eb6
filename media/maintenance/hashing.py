"""SHA-256 and size of the records that miss either, computed from their files in storage.

Records (live and soft-deleted) are read a batch at a time in primary-key order, their files
streamed through `file_digest` (by a few threads at once on S3, where a read is mostly waiting),
and the results written back a batch at a time. Only blank fields are filled, so a run cut short
loses at most one batch of work and the next run picks up the rows still blank.
"""

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db.models import Q

from media.keys import quarantine_key
from media.maintenance.run import ProgressFactory, no_progress
from media.models import MediaRecord
from media.storage import FileDigest, file_digest

_FIELDS = ("id", "person_id", "file_path", "sha256", "size_bytes", "deleted_at")


@dataclass
class HashingReport:
    """What `records_hash` did. `missing` and `mismatched` list every record concerned."""

    candidates: int = 0
    hashed: int = 0
    missing: list[dict] = field(default_factory=list)
    mismatched: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # could not be read: left for the next run


def records_missing_digest():
    """Records (live or soft-deleted) without a sha256 or without a size."""
    return MediaRecord.objects.filter(Q(sha256="") | Q(size_bytes__isnull=True))


def _batches_by_pk(batch_size: int) -> Iterator[list[MediaRecord]]:
    """`records_missing_digest` a batch at a time, by primary key, so rows that stay blank (their
    file is missing) are passed once and memory holds one batch."""
    last = None
    while True:
        rows = records_missing_digest().only(*_FIELDS).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:batch_size])
        if not batch:
            return
        last = batch[-1].pk
        yield batch


def _candidate_keys(record: MediaRecord, live_keys: set[str]) -> tuple[str, ...]:
    """Where the record's file may be: a soft-deleted record's in quarantine, or still at its
    key if it was never quarantined (unless a live record now owns that key)."""
    if record.deleted_at is None:
        return (record.file_path,)
    if record.file_path in live_keys:
        return (quarantine_key(record.file_path),)
    return (quarantine_key(record.file_path), record.file_path)


def _digest(keys: tuple[str, ...]) -> tuple[str | None, FileDigest | str | None]:
    """The first of `keys` holding a file, and its digest; (None, None) when none does; (key,
    "why") when reading it failed otherwise (storage unreachable, …)."""
    for key in keys:
        try:
            return key, file_digest(key)
        except FileNotFoundError:
            continue
        except Exception as error:
            return key, f"{type(error).__name__}: {error}"
    return None, None


def _digested(
    batches: Iterator[list[MediaRecord]], workers: int
) -> Iterator[tuple[MediaRecord, str | None, FileDigest | None]]:
    """Each record with the key its file was read at and its digest (both None when missing);
    at most `2 * workers` reads in flight."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="media-sha256") as pool:
        pending: deque[tuple[MediaRecord, Future]] = deque()
        try:
            for batch in batches:
                live_keys = _live_keys_of_deleted(batch)
                for record in batch:
                    pending.append((record, pool.submit(_digest, _candidate_keys(record, live_keys))))
                    while len(pending) >= 2 * workers:
                        record_done, future = pending.popleft()
                        yield record_done, *future.result()
            while pending:
                record_done, future = pending.popleft()
                yield record_done, *future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _live_keys_of_deleted(batch: list[MediaRecord]) -> set[str]:
    """The keys of the batch's soft-deleted records that a live record now uses."""
    keys = [record.file_path for record in batch if record.deleted_at is not None]
    if not keys:
        return set()
    return set(MediaRecord.objects.live().filter(file_path__in=keys).values_list("file_path", flat=True))


def _write(records: list[MediaRecord]) -> None:
    MediaRecord.objects.bulk_update(records, ["sha256", "size_bytes"])


def records_hash(
    *, batch_size: int = 500, workers: int = 1, progress: ProgressFactory = no_progress
) -> HashingReport:
    """Fill the blank sha256 and size of every record from its file.

    A record whose file is in neither place is listed in `missing` and left as it is; one whose
    filled value disagrees with its file is listed in `mismatched` and keeps its value; one whose
    file could not be read (a storage error) is listed in `failed` and the run goes on.
    """
    report = HashingReport(candidates=records_missing_digest().count())
    bar = progress("Hashing", report.candidates)
    ready: list[MediaRecord] = []
    digested = _digested(_batches_by_pk(batch_size), workers)
    try:
        for record, key, digest in digested:
            bar.advance()
            if digest is None:
                report.missing.append(_describe(record))
                continue
            if isinstance(digest, str):
                report.failed.append({**_describe(record), "read_at": key, "error": digest})
                continue
            if _disagrees(record, digest):
                found = {"read_at": key, "found_sha256": digest.sha256, "found_size": digest.size}
                report.mismatched.append({**_describe(record), **found})
                continue
            record.sha256 = record.sha256 or digest.sha256
            record.size_bytes = digest.size if record.size_bytes is None else record.size_bytes
            ready.append(record)
            if len(ready) >= batch_size:
                _write(ready)
                report.hashed += len(ready)
                ready = []
    finally:
        digested.close()
        # Cut short or not, what was computed is kept: a re-run starts after it.
        if ready:
            _write(ready)
            report.hashed += len(ready)
        bar.close()
    return report


def _disagrees(record: MediaRecord, digest: FileDigest) -> bool:
    return bool(record.sha256 and record.sha256 != digest.sha256) or (
        record.size_bytes is not None and record.size_bytes != digest.size
    )


def _describe(record: MediaRecord) -> dict:
    return {
        "id": str(record.id),
        "person_id": str(record.person_id),
        "key": record.file_path,
        "deleted": record.deleted_at is not None,
        "sha256": record.sha256,
        "size": record.size_bytes,
    }
