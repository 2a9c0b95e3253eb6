"""Writes of the backups app: recording a finished export and a finished import, each with its
event."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backups.models import BackupExport, ImportRun
from events.services import event_record


def _described(manifest) -> str:
    files = f" and {manifest.files.get('count', 0):,} files" if manifest.with_media else ""
    return f"{manifest.rows:,} rows{files}"


@transaction.atomic
def backup_export_record(
    *, manifest, path: str, started_at: datetime, incremental: bool, size_bytes: int, files_copied: int
) -> BackupExport:
    """Keep a finished export in the list of exports, and say so in the event log."""
    export = BackupExport.objects.create(
        path=path,
        started_at=started_at,
        finished_at=timezone.now(),
        with_media=manifest.with_media,
        incremental=incremental,
        rows=manifest.rows,
        files=manifest.files.get("count", 0),
        size_bytes=size_bytes,
        files_copied=files_copied,
        manifest=manifest.summary(),
    )
    event_record(
        kind="backup.exported",
        summary=f"Exported {_described(manifest)} to {path}",
        subject=export,
        data={
            "export_id": manifest.id,
            "path": path,
            "tables": len(manifest.tables),
            "size_bytes": size_bytes,
        },
    )
    return export


@transaction.atomic
def import_run_finish(*, run: ImportRun, manifest) -> ImportRun:
    """Mark an import done and say so in the event log (after the restored events, which keep
    their own ids)."""
    run.state = ImportRun.State.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "finished_at"])
    event_record(
        kind="backup.imported",
        summary=f"Restored {_described(manifest)} from {run.source}",
        subject=run,
        data={"export_id": manifest.id, "source": run.source, "exported_at": manifest.created_at},
    )
    return run
