"""What `import_all` checks before it restores anything: the export is whole (every file there
with its size and SHA-256, every table with its row count), it fits this install (no migration
this install lacks, the same media prefix), and the database is empty or holds only this same
import cut short.

Problems are collected, not raised one at a time, so the owner sees everything wrong at once; a
long list is cut after `MAX_LISTED` lines with a count of the rest.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from backups.bundle import MANIFEST, BundleError, BundleReader
from backups.exporter import MEDIA_FOLDER
from backups.manifest import FILES_LIST, Manifest
from backups.models import ImportRun
from backups.registry import TablePlan, backup_tables
from media.keys import media_prefix
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.storage import CHUNK_SIZE

MAX_LISTED = 50
PK_BATCH = 1000


class ImportRefused(Exception):
    """The export cannot be restored here; the message says why. Nothing was changed."""


@dataclass
class Problems:
    lines: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_LISTED:
            self.lines.append(line)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.lines)

    def all(self) -> list[str]:
        return self.lines + ([f"… and {self.more:,} more"] if self.more else [])


@dataclass
class ImportPlan:
    """What an import would do: the manifest, the tables in the order they are restored, the
    interrupted run it would resume (if any), and what stands in the way."""

    manifest: Manifest
    tables: list[TablePlan]
    resume: ImportRun | None = None
    problems: Problems = field(default_factory=Problems)
    warnings: list[str] = field(default_factory=list)


def manifest_read(reader: BundleReader) -> Manifest:
    try:
        with reader.open(MANIFEST) as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ImportRefused(
            f"{reader.src} has no {MANIFEST}: it is not an export, or its export did not finish."
        ) from None
    try:
        return Manifest.parse(raw)
    except ValueError as error:
        raise ImportRefused(str(error)) from None


def _file_check(reader: BundleReader, name: str, size: int, sha256: str, what: str) -> tuple[str, int]:
    """("" or the problem, lines counted) for one file of the export."""
    sha, length, lines = hashlib.sha256(), 0, 0
    try:
        with reader.open(name) as handle:
            for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
                sha.update(chunk)
                length += len(chunk)
                lines += chunk.count(b"\n")
    except FileNotFoundError:
        return f"{what} is missing from the export ({name}).", 0
    if (length, sha.hexdigest()) != (size, sha256):
        return (
            f"{what} is corrupted: {length} bytes with sha256 {sha.hexdigest()}, "
            f"expected {size} bytes with sha256 {sha256}.",
            lines,
        )
    return "", lines


def export_verify(
    reader: BundleReader, manifest: Manifest, problems: Problems, progress: ProgressFactory
) -> None:
    """Every table file with its size, SHA-256 and row count; every media file with its size
    and SHA-256, streamed."""
    for label, table in manifest.tables.items():
        problem, lines = _file_check(
            reader, table["file"], table["size"], table["sha256"], f"The rows of {label}"
        )
        if problem:
            problems.add(problem)
        elif lines != table["rows"]:
            problems.add(f"The rows of {label}: {lines} in the file, {table['rows']} in the manifest.")
    if not manifest.with_media:
        return
    files = manifest.files
    problem, lines = _file_check(reader, files["list"], files["size"], files["sha256"], "The file list")
    if problem:
        problems.add(problem)
        return
    if lines != files["count"]:
        problems.add(f"The file list has {lines} files, the manifest says {files['count']}.")
    bar = progress("Verifying files", files["count"])
    for line in reader.lines(FILES_LIST):
        entry = json.loads(line)
        try:
            name = MEDIA_FOLDER + entry["key"]
            problem, _ = _file_check(reader, name, entry["size"], entry["sha256"], f"The file {entry['key']}")
        except BundleError as error:
            problem = str(error)
        if problem:
            problems.add(problem)
        bar.advance()
    bar.close()


def schema_check(manifest: Manifest, using: str, plan: ImportPlan) -> None:
    loader = MigrationLoader(connections[using])
    applied = set(loader.applied_migrations)
    for app_label, name in manifest.migrations.items():
        node = (app_label, name)
        if node not in loader.graph.nodes:
            plan.problems.add(
                f"The export comes from a newer schema: migration {app_label}.{name} is not in this install. "
                "Install the version of the app the export was made with (or a later one), then import."
            )
        elif node not in applied:
            plan.problems.add(
                f"This database lacks migration {app_label}.{name}, which the export was made with: "
                "run `manage.py migrate` first."
            )
    target_apps = {app_label for app_label, _ in applied}
    for app_label in sorted(target_apps - set(manifest.migrations)):
        plan.warnings.append(f"The export has nothing of {app_label}; its tables stay empty.")


def _model_of(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _rows_not_in_export(reader: BundleReader, table: dict, model, using: str) -> str:
    """How many rows the target table has that the export does not (matched by primary key),
    in words ("" when none)."""
    queryset = model._base_manager.using(using)
    existing = queryset.count()
    if existing == 0:
        return ""
    if existing > table["rows"]:
        return f"at least {existing - table['rows']:,}"
    pk = model._meta.pk
    found = 0
    pks = (pk.to_python(json.loads(line)["pk"]) for line in reader.lines(table["file"]))
    for chunk in batches(pks, PK_BATCH):
        found += queryset.filter(pk__in=chunk).count()
    return f"{existing - found:,}" if existing > found else ""


def target_check(reader: BundleReader, manifest: Manifest, using: str, plan: ImportPlan) -> None:
    """The database must be empty, apart from rows migrations create that the export also has
    (they are replaced by the export's), or hold this same import cut short."""
    runs = ImportRun.objects.using(using)
    earlier = runs.filter(export_id=manifest.id).first()
    if earlier is not None and earlier.state == ImportRun.State.DONE:
        plan.problems.add(
            f"This export was already imported here (finished {earlier.finished_at:%Y-%m-%d %H:%M})."
        )
        return
    if earlier is not None:
        plan.resume = earlier
        return
    other = runs.filter(state=ImportRun.State.RUNNING).first()
    if other is not None:
        plan.problems.add(
            f"An import of another export ({other.source}) was cut short in this database; "
            "run that import again to finish it, or restore into a new, empty database."
        )
        return
    for label, table in manifest.tables.items():
        model = _model_of(label)
        if model is None:
            plan.problems.add(f"The export has a table {label} that this install does not know.")
            continue
        extra = _rows_not_in_export(reader, table, model, using)
        if extra:
            plan.problems.add(
                f"The database is not empty: {label} has {extra} row(s) that are not in the export. "
                "Restore into a new database on which only `manage.py migrate` has run."
            )


def import_plan(
    reader: BundleReader, *, using: str = "default", progress: ProgressFactory = no_progress
) -> ImportPlan:
    """Read and verify the export at `reader`, and check it against this install and database."""
    manifest = manifest_read(reader)
    order = [table for table in backup_tables() if table.label in manifest.tables]
    plan = ImportPlan(manifest=manifest, tables=order)
    if manifest.with_media and manifest.media_prefix != media_prefix():
        plan.problems.add(
            f"The export's files are under the media prefix {manifest.media_prefix!r}, this install's is "
            f"{media_prefix()!r}: set S3_PREFIX (or MEDIA_STORAGE) so that they match, then import."
        )
    schema_check(manifest, using, plan)
    if plan.problems:
        return plan  # the tables may not even exist yet
    export_verify(reader, manifest, plan.problems, progress)
    if not plan.problems:  # the database is compared with the export's rows, once they are known sound
        target_check(reader, manifest, using, plan)
    return plan
