from media.maintenance.hashing import records_hash
from media.management.base import MaintenanceCommand, Outcome


class Command(MaintenanceCommand):
    help = (
        "Compute sha256 and size for the media records (live and soft-deleted) that miss either, "
        "streamed from storage. Only fills blanks: runs without --apply, and a re-run picks up "
        "where an interrupted one stopped. Exits non-zero if a record's file is missing."
    )
    report_name = "media-sha256"
    destructive = False  # it only fills blank fields from the files themselves
    parallel = True

    def run(self, *, batch_size: int, workers: int, **options) -> Outcome:
        report = records_hash(batch_size=batch_size, workers=workers, progress=self.progress)
        # A soft-deleted record may have lost its file before it was deleted (deleting is how
        # the owner hides a broken image): listed, but no reason to fail every run from then on.
        live_missing = [record for record in report.missing if not record["deleted"]]
        problems = []
        if live_missing:
            problems.append(f"{len(live_missing)} live record(s) whose file is missing")
        if report.failed:
            problems.append(f"{len(report.failed)} file(s) could not be read (a storage error); run again")
        if report.mismatched:
            problems.append(f"{len(report.mismatched)} record(s) whose sha256 or size disagree with the file")
        return Outcome(
            summary={
                "records_missing_digest": report.candidates,
                "hashed": report.hashed,
                "missing_files": len(live_missing),
                "deleted_without_file": len(report.missing) - len(live_missing),
                "mismatched": len(report.mismatched),
                "failed": len(report.failed),
                "workers": workers,
            },
            details={"missing": report.missing, "mismatched": report.mismatched, "failed": report.failed},
            problems=problems,
        )
