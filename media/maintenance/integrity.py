"""Records against storage: which live records have no file (missing), which files under
`people/` have no record (unregistered), and the counts that sum them up.

Both directions stream in batches, so memory stays flat for any size of library:
- storage → database: the listing of `people/` (a page at a time on S3) is looked up in the
  database a batch of keys at a time;
- database → storage: live records, ordered by key, are checked against a listing of their
  folder (`people/<username>/<source>/`), one folder at a time, so a missing file costs one
  listing per folder rather than a request per record. It only runs when the first pass found
  fewer files than live records.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from media.keys import people_prefix, quarantine_prefix
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.models import MediaRecord
from media.storage import FolderListing, StoredFile, files_under, prefetched

# Files the owner allows to be deleted outright; never counted as unregistered.
STRAY_NAMES = frozenset({".DS_Store", "Thumbs.db"})


class FileStatus:
    REGISTERED = "registered"  # a live record has this key
    DELETED_RECORD = "deleted_record"  # only soft-deleted records have it (not yet quarantined)
    UNREGISTERED = "unregistered"  # no record at all
    STRAY = "stray"  # .DS_Store and the like


@dataclass(frozen=True)
class ScannedFile:
    file: StoredFile
    status: str


def storage_scan(*, batch_size: int = 1000, progress: ProgressFactory = no_progress) -> Iterator[ScannedFile]:
    """Every file under `people/` (quarantine is a sibling folder, so never included), with
    whether a record knows it."""
    bar = progress("Listing storage", None)
    for batch in batches(prefetched(files_under(people_prefix())), batch_size):
        rows = MediaRecord.objects.filter(file_path__in=[stored.key for stored in batch]).values_list(
            "file_path", "deleted_at"
        )
        known, live = set(), set()
        for key, deleted_at in rows:
            known.add(key)
            if deleted_at is None:
                live.add(key)
        for stored in batch:
            if stored.key.rsplit("/", 1)[-1] in STRAY_NAMES:
                status = FileStatus.STRAY
            elif stored.key in live:
                status = FileStatus.REGISTERED
            elif stored.key in known:
                status = FileStatus.DELETED_RECORD
            else:
                status = FileStatus.UNREGISTERED
            yield ScannedFile(stored, status)
        bar.advance(len(batch))
    bar.close()


def missing_records(
    *, batch_size: int = 1000, progress: ProgressFactory = no_progress
) -> Iterator[MediaRecord]:
    """Live records whose file is not in storage (id, person, key, sha256 and size loaded)."""
    records = (
        MediaRecord.objects.live()
        .only("id", "person_id", "file_path", "sha256", "size_bytes")
        .order_by("file_path")
        .iterator(chunk_size=batch_size)
    )
    bar = progress("Checking records against storage", MediaRecord.objects.live().count())
    present = FolderListing()
    for record in records:
        if record.file_path not in present:
            yield record
        bar.advance()
    bar.close()


@dataclass
class IntegrityReport:
    """What `integrity_check` found. Key lists are complete (the report lists every one)."""

    live_records: int = 0
    deleted_records: int = 0
    files: int = 0
    files_bytes: int = 0
    registered_files: int = 0
    missing: list[dict] = field(default_factory=list)
    unregistered: list[dict] = field(default_factory=list)
    deleted_record_files: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    quarantine_files: int = 0
    quarantine_bytes: int = 0

    @property
    def consistent(self) -> bool:
        return not self.missing and not self.unregistered


def integrity_check(*, batch_size: int = 1000, progress: ProgressFactory = no_progress) -> IntegrityReport:
    """Compare records and storage both ways, and measure the quarantine."""
    report = IntegrityReport(
        live_records=MediaRecord.objects.live().count(),
        deleted_records=MediaRecord.objects.deleted().count(),
    )
    # The quarantine is listed at the same time as the people's files (it needs no database).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="media-quarantine") as pool:
        quarantine = pool.submit(_quarantine_size)
        _compare(report, batch_size=batch_size, progress=progress)
        report.quarantine_files, report.quarantine_bytes = quarantine.result()
    return report


def _quarantine_size() -> tuple[int, int]:
    files = size = 0
    for stored in files_under(quarantine_prefix()):
        files += 1
        size += stored.size
    return files, size


def _compare(report: IntegrityReport, *, batch_size: int, progress: ProgressFactory) -> None:
    for scanned in storage_scan(batch_size=batch_size, progress=progress):
        stored = scanned.file
        if scanned.status == FileStatus.STRAY:
            report.stray.append(stored.key)
            continue
        report.files += 1
        report.files_bytes += stored.size
        if scanned.status == FileStatus.REGISTERED:
            report.registered_files += 1
        elif scanned.status == FileStatus.DELETED_RECORD:
            report.deleted_record_files.append(stored.key)
        else:
            report.unregistered.append(
                {"key": stored.key, "size": stored.size, "modified_at": stored.modified_at}
            )
    # Every live record has its own key, so each registered file stands for one record, and
    # fewer registered files than live records means some are missing. The jobs keep running
    # during a check: a record they add while the listing runs may be counted as registered
    # without being in the first count, and a record deleted meanwhile the other way round,
    # so the larger of the counts before and after the listing decides.
    live_after = MediaRecord.objects.live().count()
    if report.registered_files < max(report.live_records, live_after):
        report.missing = [
            {"id": str(record.id), "person_id": str(record.person_id), "key": record.file_path}
            for record in missing_records(batch_size=batch_size, progress=progress)
        ]
