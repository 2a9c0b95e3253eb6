from media.maintenance.integrity import integrity_check
from media.management.base import MaintenanceCommand, Outcome


class Command(MaintenanceCommand):
    help = (
        "Check the media records against storage, read-only: live and soft-deleted records, files "
        "under people/, missing files (a live record without its file), unregistered files (a "
        "file without a record), files of soft-deleted records not yet quarantined, stray files "
        "and the quarantine's size. Exits non-zero if a file is missing or unregistered."
    )
    report_name = "media-check"
    destructive = False
    changes_media = False

    def run(self, *, batch_size: int, **options) -> Outcome:
        report = integrity_check(batch_size=batch_size, progress=self.progress)
        problems = []
        if report.missing:
            problems.append(f"{len(report.missing)} missing file(s) (a live record without its file)")
        if report.unregistered:
            problems.append(f"{len(report.unregistered)} unregistered file(s) (a file without a record)")
        return Outcome(
            summary={
                "live_records": report.live_records,
                "deleted_records": report.deleted_records,
                "files": report.files,
                "files_bytes": report.files_bytes,
                "missing": len(report.missing),
                "unregistered": len(report.unregistered),
                "deleted_not_quarantined": len(report.deleted_record_files),
                "stray": len(report.stray),
                # Read by the admin's media overview from the latest media-check report.
                "quarantine_files": report.quarantine_files,
                "quarantine_bytes": report.quarantine_bytes,
            },
            details={
                "missing": report.missing,
                "unregistered": report.unregistered,
                "deleted_not_quarantined": report.deleted_record_files,
                "stray": report.stray,
            },
            problems=problems,
        )
