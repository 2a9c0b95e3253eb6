from media.maintenance.quarantine import deleted_files_quarantine
from media.management.base import MaintenanceCommand, Outcome


class Command(MaintenanceCommand):
    help = (
        "Move the files of soft-deleted records that are still at their original key into "
        "quarantine (copy, verify size and sha256, then delete the original). Without --apply, "
        "lists what would move. Finishes the moves an interrupted run left first."
    )
    report_name = "media-quarantine-deleted"
    parallel = True

    def run(self, *, batch_size: int, workers: int, **options) -> Outcome:
        report = deleted_files_quarantine(
            apply=self.applying, batch_size=batch_size, workers=workers, progress=self.progress
        )
        for move in report.moves:
            self.stdout.write(
                f"{'Moved' if self.applying else 'Would move'} {move['key']} → {move['target']}"
            )
        for failure in report.failed:
            self.stdout.write(f"Left {failure['key']} where it is: {failure['error']}")
        problems = []
        if report.failed:
            problems.append(f"{len(report.failed)} file(s) could not be moved; each original stays")
        recovered = [outcome for outcome in report.recovered if outcome["action"] != "in progress elsewhere"]
        if report.needs_attention:
            problems.append(f"{len(report.needs_attention)} earlier move(s) need attention")
        return Outcome(
            summary={
                "deleted_records": report.deleted_records,
                "already_quarantined": report.already_quarantined,
                ("moved" if self.applying else "to_move"): len(report.moves),
                "failed": len(report.failed),
                "no_file": len(report.no_file),
                "key_used_by_live_record": len(report.in_use),
                "earlier_moves_recovered": len(recovered),
                "moves_in_progress_elsewhere": len(report.recovered) - len(recovered),
            },
            details={
                "moves": report.moves,
                "failed": report.failed,
                "no_file": report.no_file,
                "key_used_by_live_record": report.in_use,
                "recovered": report.recovered,
            },
            problems=problems,
        )
