"""`import_all --apply`: restore a checked export (see `backups.checks`) into this database and
media storage.

Files first, then the tables in dependency order, then the foreign keys put off to a second
pass, then the sequences. Rows keep their primary keys and every stored value, timestamps
included: they are inserted as they are (`raw`, as `loaddata` does), so no `auto_now` field is
touched, no signal runs (history rows are restored as they were, none is added) and no model's
`save()` is called (the event log's, which refuses changes, is not asked to change anything).

Every batch is written in one transaction with the journal line that says how far the import
has got (`ImportStep`), so an import killed at any point is taken up by the next run where it
stopped; a file half written when it stopped is written again.
"""

import json
from dataclasses import dataclass

from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connections, transaction

from backups.bundle import BundleReader
from backups.checks import ImportPlan, ImportRefused
from backups.exporter import MEDIA_FOLDER
from backups.manifest import FILES_LIST
from backups.models import ImportRun, ImportStep
from backups.registry import TablePlan
from backups.serialization import rows_read
from backups.services import import_run_finish
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.storage import CHUNK_SIZE, FileDigest, digest_stream, file_delete, file_digest, file_save

FILE_BATCH = 200


@dataclass(frozen=True)
class ImportResult:
    run: ImportRun
    rows: int
    files_written: int


def _step(run: ImportRun, name: str) -> ImportStep:
    return ImportStep.objects.get_or_create(run=run, step=name)[0]


def _advance(step: ImportStep, count: int) -> None:
    step.done += count
    step.save(update_fields=["done"])


def _finish(step: ImportStep) -> None:
    step.finished = True
    step.save(update_fields=["finished"])


def _prefix_digest(reader: BundleReader, name: str, length: int) -> FileDigest:
    """The digest of the first `length` bytes of the export's file `name`."""

    def head():
        left = length
        with reader.open(name) as handle:
            while left > 0:
                chunk = handle.read(min(CHUNK_SIZE, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    return digest_stream(head())


def _restore_file(reader: BundleReader, entry: dict) -> bool:
    """Put one file at its key, unless it is there already; True if it was written."""
    key, expected = entry["key"], FileDigest(entry["size"], entry["sha256"])
    name = MEDIA_FOLDER + key
    try:
        present = file_digest(key)
    except FileNotFoundError:
        present = None
    if present == expected:
        return False
    if present is not None:
        # Only the start of this very file (a write cut short) may be replaced.
        if present.size >= expected.size or _prefix_digest(reader, name, present.size) != present:
            raise ImportRefused(
                f"A different file is already at {key} in the media storage; move it away, then import again."
            )
        file_delete(key)
    with reader.open(name) as handle:
        file_save(key, File(handle, name=key.rsplit("/", 1)[-1]))
    written = file_digest(key)
    if written != expected:
        raise ImportRefused(
            f"The copy of {key} in the media storage did not verify ({written}); import again."
        )
    return True


def _restore_files(run: ImportRun, reader: BundleReader, manifest, progress: ProgressFactory) -> int:
    step = _step(run, "files")
    if step.finished:
        return 0
    written = 0
    bar = progress("Restoring files", manifest.files["count"])
    bar.advance(step.done)
    entries = (json.loads(line) for line in reader.lines(FILES_LIST, skip=step.done))
    for batch in batches(entries, FILE_BATCH):
        written += sum(_restore_file(reader, entry) for entry in batch)
        _advance(step, len(batch))
        bar.advance(len(batch))
    _finish(step)
    bar.close()
    return written


def _insert(model, instances: list, using: str) -> None:
    fields = model._meta.local_concrete_fields
    connection = connections[using]
    size = max(1, connection.ops.bulk_batch_size(fields, instances))
    manager = model._base_manager.using(using)
    for start in range(0, len(instances), size):
        manager._insert(instances[start : start + size], fields=fields, raw=True, using=using)


def _checked(rows, label: str):
    """The rows, with a row this install cannot read (a column it does not have) named."""
    try:
        yield from rows
    except DeserializationError as error:
        raise ImportRefused(f"A row of {label} cannot be restored here: {error}") from error


def _restore_rows(run, reader, table: TablePlan, entry: dict, using: str, batch_size: int, bar) -> int:
    step = _step(run, f"rows:{table.label}")
    if step.finished:
        return 0
    model = table.model
    deferred = [model._meta.get_field(name).attname for name in table.deferred]
    first = step.done == 0
    restored = 0
    rows = _checked(rows_read(reader.lines(entry["file"], skip=step.done), using=using), table.label)
    for batch in batches(rows, batch_size):
        instances = [item.object for item in batch]
        for instance in instances:
            for attname in deferred:
                setattr(instance, attname, None)
        with transaction.atomic(using=using):
            if first:
                # Rows a migration created (system attributes, job states): the checks found each
                # of them in the export, which has the owner's version of them.
                model._base_manager.using(using).all().delete()
                first = False
            _insert(model, instances, using)
            _advance(step, len(instances))
        restored += len(instances)
        bar.advance(len(instances))
    _finish(step)
    return restored


def _restore_links(run, reader, table: TablePlan, entry: dict, using: str, batch_size: int) -> None:
    """Set the foreign keys the first pass left empty, now that every row they point to exists."""
    step = _step(run, f"links:{table.label}")
    if step.finished:
        return
    model = table.model
    attnames = [model._meta.get_field(name).attname for name in table.deferred]
    manager = model._base_manager.using(using)
    for batch in batches(rows_read(reader.lines(entry["file"], skip=step.done), using=using), batch_size):
        with transaction.atomic(using=using):
            for item in batch:
                values = {attname: getattr(item.object, attname) for attname in attnames}
                if any(value is not None for value in values.values()):
                    manager.filter(pk=item.object.pk).update(**values)
            _advance(step, len(batch))
    _finish(step)


def _reset_sequences(tables: list[TablePlan], using: str) -> None:
    """Make the next id of every table follow the restored ones (PostgreSQL keeps a counter of
    its own; SQLite reads the largest id)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    if statements:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def import_apply(
    plan: ImportPlan,
    reader: BundleReader,
    *,
    using: str = "default",
    batch_size: int = 1000,
    progress: ProgressFactory = no_progress,
) -> ImportResult:
    """Restore the export `plan` was made for; the plan must have no problems."""
    if plan.problems:
        raise ImportRefused("; ".join(plan.problems.all()))
    manifest = plan.manifest
    run = plan.resume or ImportRun.objects.using(using).create(export_id=manifest.id, source=str(reader.src))
    written = _restore_files(run, reader, manifest, progress) if manifest.with_media else 0
    bar = progress("Restoring rows", manifest.rows)
    rows = 0
    for table in plan.tables:
        rows += _restore_rows(run, reader, table, manifest.tables[table.label], using, batch_size, bar)
    bar.close()
    for table in plan.tables:
        if table.deferred:
            _restore_links(run, reader, table, manifest.tables[table.label], using, batch_size)
    _reset_sequences(plan.tables, using)
    import_run_finish(run=run, manifest=manifest)
    return ImportResult(run=run, rows=rows, files_written=written)
