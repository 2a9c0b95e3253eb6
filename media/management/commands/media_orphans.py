from argparse import ArgumentTypeError
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.management.base import CommandError

from media.maintenance.orphans import (
    ApprovedListError,
    approved_keys_load,
    orphan_files,
    orphans_quarantine,
    orphans_register,
    parse_age,
)
from media.maintenance.run import report_path, report_write
from media.management.base import MaintenanceCommand, Outcome
from media.services import moves_recover

# Per-file lines printed for one kind of result; the report lists every file.
SHOWN_PER_KIND = 20


@dataclass(frozen=True)
class Action:
    report_name: str
    destructive: bool
    changes_media: bool
    help: str


ACTIONS = {
    "find": Action(
        "orphan-files",
        destructive=False,
        changes_media=False,
        help="List every unregistered file under people/ (read-only).",
    ),
    "register": Action(
        "orphan-register",
        destructive=True,
        changes_media=True,
        help="Give unregistered files named <username>_<unixtime>_<hash>.<ext> a record.",
    ),
    "quarantine": Action(
        "orphan-quarantine",
        destructive=True,
        changes_media=True,
        help="Move the files of an approved list to QUARANTINE/orphans/ (copy, verify, delete).",
    ),
}


def _age(text: str):
    try:
        return parse_age(text)
    except ValueError as error:
        raise ArgumentTypeError(str(error)) from None


class Command(MaintenanceCommand):
    """`media_orphans find|register|quarantine`: files under people/ that no record knows.

    The actions share MaintenanceCommand's run (progress, summary, JSON report, exit status) but
    not its settings: `find` only reads (no --apply, the jobs keep running); `register` and
    `quarantine` act only with --apply and then stop the media-creating jobs first. So the
    base's `report_name`, `destructive` and `changes_media` are set per action: for each
    subparser while the arguments are declared, and for the chosen action in `handle`, which
    also checks the action's input before the base stops any job, so bad input changes nothing.
    """

    help = (
        "Unregistered files under people/: `find` lists them, `register` gives those named after "
        "a known person a record, `quarantine` moves an approved list of them to QUARANTINE/orphans/."
    )

    def _use(self, action: str) -> None:
        self.action = action
        self.report_name = ACTIONS[action].report_name
        self.destructive = ACTIONS[action].destructive
        self.changes_media = ACTIONS[action].changes_media

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True)
        for name, action in ACTIONS.items():
            self._use(name)
            super().add_arguments(subparsers.add_parser(name, help=action.help))

    def add_command_arguments(self, parser) -> None:
        if self.action == "register":
            parser.add_argument(
                "--min-age",
                type=_age,
                default="1h",
                help="Leave files younger than this alone, as an upload may still be writing them: "
                "seconds (3600, 3600s) or 30m, 2h, 1d (default 1h).",
            )
        elif self.action == "quarantine":
            parser.add_argument(
                "--approved",
                metavar="FILE",
                help='The approved list: JSON with a "files" list of {"key": ...} (an orphan-files '
                "report, trimmed to the files to quarantine). Required.",
            )

    def handle(self, *args, action, **options):
        self._use(action)
        if action == "quarantine":
            if not options.get("approved"):
                raise CommandError(
                    "quarantine moves only the files of an approved list: pass --approved FILE "
                    "(e.g. reports/orphan-files-approved.json, made from an orphan-files report)."
                )
            try:
                self.approved_keys = approved_keys_load(Path(options["approved"]))
            except ApprovedListError as error:
                raise CommandError(str(error)) from None
        super().handle(*args, **options)

    def run(self, **options) -> Outcome:
        return getattr(self, f"run_{self.action}")(**options)

    def run_find(self, *, batch_size, **options) -> Outcome:
        files, total_bytes, unparsable = [], 0, 0
        for orphan in orphan_files(batch_size=batch_size, progress=self.progress):
            files.append(orphan.as_report())
            total_bytes += orphan.size
            unparsable += bool(orphan.unparsable)
        self._show("unregistered", [entry["key"] for entry in files])
        return Outcome(
            summary={
                "unregistered files": len(files),
                "their bytes": total_bytes,
                "named <username>_<unixtime>_<hash>": len(files) - unparsable,
                "other names": unparsable,
            },
            details={"command": "media_orphans find", "files": files},
        )

    def run_register(self, *, batch_size, min_age, **options) -> Outcome:
        outcome = orphans_register(
            apply=self.applying, min_age=min_age, batch_size=batch_size, progress=self.progress
        )
        verb = "" if self.applying else "would be "
        self._show(f"{verb}registered", [entry["key"] for entry in outcome.registered])
        self._show(
            f"{verb}relinked",
            [
                f"{entry['key']} (record {entry['record_id']}, was {entry['previous_key']})"
                for entry in outcome.relinked
            ],
        )
        self._show(
            "duplicate copy (left for media_dedup / quarantine)",
            [f"{entry['key']} (same bytes as {entry['duplicate_of']})" for entry in outcome.duplicates],
        )
        self._show("for review", [f"{entry['key']}: {entry['reason']}" for entry in outcome.unknown])
        self._show("failed", [f"{entry['key']}: {entry['error']}" for entry in outcome.failed])
        self.review_report = None
        if outcome.unknown:
            self.review_report = report_write(
                "unregistered-unknown-username",
                {"command": "media_orphans register", "files": outcome.unknown},
            )
        return Outcome(
            summary={
                f"{verb}registered": len(outcome.registered),
                f"{verb}relinked to a record whose file was missing": len(outcome.relinked),
                "duplicate copies (left alone)": len(outcome.duplicates),
                f"younger than {min_age.total_seconds():g} s (left alone)": len(outcome.too_young),
                "unknown username or name (for review)": len(outcome.unknown),
                "failed": len(outcome.failed),
            },
            details={"command": "media_orphans register", "min_age_seconds": min_age.total_seconds()}
            | asdict(outcome),
            problems=[f"{entry['key']}: {entry['error']}" for entry in outcome.failed],
        )

    def run_quarantine(self, *, approved, batch_size, **options) -> Outcome:
        log_path = None
        self.recovery_problems: list[str] = []
        if self.applying:
            for recovered in moves_recover():
                self.stdout.write(
                    f"Interrupted move {recovered.source_key} → {recovered.target_key}: "
                    f"{recovered.action} ({recovered.detail})"
                )
                if recovered.action == "needs attention":
                    self.recovery_problems.append(f"{recovered.source_key}: {recovered.detail}")
            log_path = report_path("quarantine-actions", suffix=".log")
        counts, actions = {}, []
        with log_path.open("w", encoding="utf-8") if log_path else _NoLog() as log:
            for done in orphans_quarantine(
                keys=self.approved_keys, apply=self.applying, batch_size=batch_size
            ):
                log.write(done.log_line())
                log.flush()
                self.stdout.write(f"  {done.action:<10}  {done.key}  {done.detail}")
                counts[done.action] = counts.get(done.action, 0) + 1
                actions.append(asdict(done))
        self.log_path = log_path
        return Outcome(
            summary={"approved files": len(self.approved_keys)} | counts,
            details={
                "command": "media_orphans quarantine",
                "approved": str(approved),
                "log": str(log_path) if log_path else None,
                "actions": actions,
            },
            problems=self.recovery_problems
            + [f"{entry['key']}: {entry['detail']}" for entry in actions if entry["action"] == "failed"],
        )

    def _show(self, kind: str, lines: list[str]) -> None:
        for line in lines[:SHOWN_PER_KIND]:
            self.stdout.write(f"  {kind}: {line}")
        if len(lines) > SHOWN_PER_KIND:
            self.stdout.write(f"  … and {len(lines) - SHOWN_PER_KIND:,} more {kind} (see the report)")

    def render(self, outcome: Outcome, report: Path) -> None:
        super().render(outcome, report)
        if self.action == "find" and outcome.summary["unregistered files"]:
            approved = report.with_name("orphan-files-approved.json")
            self.stdout.write(
                f"To quarantine some of them: copy the report to {approved}, keep in its "
                f'"files" only those to move, then run `manage.py media_orphans quarantine '
                f"--approved {approved}` (a dry run; add --apply to move them)."
            )
        elif self.action == "register" and self.review_report:
            self.stdout.write(f"Files for review (unknown username or name): {self.review_report}")
        elif self.action == "quarantine" and self.log_path:
            self.stdout.write(f"Actions log: {self.log_path}")


class _NoLog:
    """Stands in for the actions log in a dry run, which moves nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
