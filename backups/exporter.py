"""`export_all`: every backed-up table as JSON Lines, the media files under their storage keys,
and the manifest, written last.

Rows are read inside one transaction, so the tables agree with each other: on PostgreSQL a
read-only snapshot (repeatable read) that writers never wait for; on SQLite a transaction holds
the write lock, so writers wait until the rows are written (the files are copied after it ends).
Rows stream from the database (`.iterator()`), files from storage in chunks, and the file list
is written as the files are copied, in the key order storage lists them in (checked as they
come): memory stays flat whatever the size. An incremental export reads the earlier file list in
step with the listing, both in key order, rather than holding it.
"""

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.db import connections, models, transaction
from django.db.models.functions import Collate
from django.utils import timezone

from backups.bundle import BundleError, BundleReader, BundleWriter, is_tar
from backups.manifest import FILES_LIST, Manifest, migration_state
from backups.models import BackupExport
from backups.registry import TablePlan, backup_tables
from backups.serialization import rows_write
from backups.services import backup_export_record
from media.keys import is_quarantined, media_prefix, original_key, quarantine_key
from media.maintenance.run import ProgressFactory, no_progress
from media.models import MediaRecord
from media.storage import FileDigest, StoredFile, file_chunks, file_digest, files_under

MEDIA_FOLDER = "media/"
LOOKUP_BATCH = 1000
LISTING_OUT_OF_ORDER = (
    "the media storage listed them so, and the file list cannot be written as the files are copied"
)
T = TypeVar("T")
# Text keys sort byte by byte, the same on both engines, so two exports of the same rows match.
BINARY_COLLATION = {"postgresql": "C", "sqlite": "BINARY"}


@dataclass(frozen=True)
class ExportResult:
    manifest: Manifest
    export: BackupExport
    files_copied: int


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction (the demo loader): read in it
        yield
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _ordered(table: TablePlan, using: str) -> models.QuerySet:
    model = table.model
    pk = model._meta.pk
    queryset = model._base_manager.using(using)
    collation = BINARY_COLLATION.get(connections[using].vendor)
    if pk.get_internal_type() in ("CharField", "TextField", "SlugField") and collation:
        return queryset.order_by(Collate(pk.attname, collation))
    return queryset.order_by(pk.attname)


def _export_table(writer: BundleWriter, table: TablePlan, using: str, chunk_size: int) -> dict:
    rows = _ordered(table, using).iterator(chunk_size=chunk_size)
    count, digest = writer.text(table.file_name, lambda stream: rows_write(rows, stream))
    return {"file": table.file_name, "rows": count, "size": digest.size, "sha256": digest.sha256}


def _previous_entries(dest: Path | None) -> Iterator[tuple[str, int, str]]:
    """(key, size, sha256) of each file the earlier export in `dest` lists, in key order; none
    for a new export (`dest` None) or a folder without a file list."""
    if dest is None or not (dest / FILES_LIST).is_file():
        return
    entries = (json.loads(line) for line in BundleReader(dest).lines(FILES_LIST))
    why = "it was not written by an export; export to a new folder instead"
    for entry in _in_key_order(entries, lambda entry: entry["key"], what=str(dest / FILES_LIST), why=why):
        yield entry["key"], entry["size"], entry["sha256"]


class _PreviousList:
    """The file list of the export an incremental one updates, read in step with the new listing:
    both are in key order, so looking keys up in ascending order reads it once, one entry held."""

    def __init__(self, entries: Iterator[tuple[str, int, str]]):
        self._entries = entries
        self._next = next(entries, None)

    def get(self, key: str) -> tuple[int, str] | None:
        """The (size, sha256) the list gives `key`, or None; keys must be asked in ascending order."""
        while self._next is not None and self._next[0] < key:
            self._next = next(self._entries, None)
        if self._next is not None and self._next[0] == key:
            return self._next[1], self._next[2]
        return None


def _recorded_digests(keys: list[str]) -> dict[str, FileDigest]:
    """The size and SHA-256 the media records give for these keys (a record's file may be at its
    key or, deleted, in quarantine)."""
    originals = set(keys)
    for key in keys:
        if is_quarantined(key):
            with contextlib.suppress(ValueError):
                originals.add(original_key(key))
    known: dict[str, FileDigest] = {}
    records = MediaRecord.objects.filter(file_path__in=list(originals)).exclude(sha256="")
    for record in records.only("file_path", "sha256", "size_bytes"):
        if record.size_bytes is not None:
            digest = FileDigest(record.size_bytes, record.sha256)
            known[record.file_path] = digest
            known[quarantine_key(record.file_path)] = digest
    return known


def _in_key_order(items: Iterable[T], key_of: Callable[[T], str], *, what: str, why: str) -> Iterator[T]:
    """`items`, checked to come in ascending key order (else a BundleError naming `what` is out
    of order, where, and `why` that matters): the file list is written while the files are
    copied, and an incremental export reads the earlier list in step with the listing."""
    last = None
    for item in items:
        key = key_of(item)
        if last is not None and key <= last:
            raise BundleError(f"{what} is not in key order ({key!r} after {last!r}): {why}.")
        last = key
        yield item


def _batches(files: Iterator[StoredFile]) -> Iterator[list[StoredFile]]:
    batch: list[StoredFile] = []
    for stored in files:
        batch.append(stored)
        if len(batch) >= LOOKUP_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _unchanged(writer, stored, old, recorded) -> FileDigest | None:
    """The digest of a file an incremental export already holds: the media record's when it has
    one (the file is not read), otherwise the file's own, read from storage."""
    if old is None or stored.size != old[0]:
        return None
    path = writer.dest / (MEDIA_FOLDER + stored.key)
    if not path.is_file() or path.stat().st_size != old[0]:
        return None
    digest = recorded.get(stored.key) or file_digest(stored.key)
    return digest if (digest.size, digest.sha256) == old else None


def _kept(writer, batch: list[StoredFile], previous: _PreviousList) -> list[FileDigest | None]:
    """For each file of `batch`, the digest the export already holds it with, or None to copy it."""
    olds = [previous.get(stored.key) for stored in batch]
    pairs = list(zip(batch, olds, strict=True))
    candidates = [stored.key for stored, old in pairs if old and old[0] == stored.size]
    recorded = _recorded_digests(candidates) if candidates else {}
    return [_unchanged(writer, stored, old, recorded) for stored, old in pairs]


def _export_files(
    writer: BundleWriter, previous: _PreviousList, progress: ProgressFactory
) -> tuple[dict, int]:
    """Copy every file and write the file list as they go, in the key order they are listed in:
    nothing is held per file."""
    copied = total = 0

    def fill(stream) -> int:
        nonlocal copied, total
        count = 0
        bar = progress("Copying files", None)
        listed = _in_key_order(
            files_under(media_prefix()),
            lambda stored: stored.key,
            what="The media storage's listing",
            why="the file list cannot be written as the files are copied",
        )
        for batch in _batches(listed):
            for stored, digest in zip(batch, _kept(writer, batch, previous), strict=True):
                if digest is None:
                    digest = writer.stream(MEDIA_FOLDER + stored.key, file_chunks(stored.key), stored.size)
                    copied += 1
                entry = {"key": stored.key, "sha256": digest.sha256, "size": digest.size}
                stream.write(json.dumps(entry, sort_keys=True) + "\n")
                count += 1
                total += digest.size
                bar.advance()
        bar.close()
        return count

    count, digest = writer.text(FILES_LIST, fill)
    return {
        "list": FILES_LIST,
        "count": count,
        "bytes": total,
        "size": digest.size,
        "sha256": digest.sha256,
    }, copied


def export_all(
    *,
    dest: Path,
    with_media: bool = False,
    incremental: bool = False,
    chunk_size: int = 2000,
    using: str = "default",
    progress: ProgressFactory = no_progress,
) -> ExportResult:
    """Write an export of everything to `dest` (a folder, or a .tar file) and record it."""
    if incremental and is_tar(dest):
        raise BundleError("--incremental updates an export folder; a .tar is always written whole.")
    started_at = timezone.now()
    writer = BundleWriter(dest, keep_existing=incremental)
    manifest = Manifest(engine=connections[using].vendor, with_media=with_media)
    copied = 0
    try:
        with _snapshot(using):
            manifest.migrations = migration_state(using)
            tables = backup_tables()
            bar = progress("Writing tables", len(tables))
            for table in tables:
                manifest.tables[table.label] = _export_table(writer, table, using, chunk_size)
                bar.advance()
            bar.close()
        if with_media:
            with contextlib.closing(_previous_entries(dest if incremental else None)) as entries:
                manifest.files, copied = _export_files(writer, _PreviousList(entries), progress)
        manifest.created_at = timezone.now().isoformat()
        writer.finish(manifest.as_json())
    except BaseException:
        writer.abandon()
        raise
    export = backup_export_record(
        manifest=manifest,
        path=str(dest),
        started_at=started_at,
        incremental=incremental,
        size_bytes=writer.size_bytes(),
        files_copied=copied,
    )
    return ExportResult(manifest=manifest, export=export, files_copied=copied)
