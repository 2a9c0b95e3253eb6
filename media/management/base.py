"""The base of the `media_*` maintenance commands: --apply, stopping the media jobs, progress,
a summary and a JSON report, and the exit status.

A command names its report and implements `run(**options) -> Outcome`; the work itself is a
plain function in `media.maintenance`.
"""

from abc import ABCMeta, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from media.maintenance.run import media_jobs_stop, progress_to, report_write
from media.services import JobsStillWorking


@dataclass
class Outcome:
    """What a run did: `summary` is printed and reported; `details` (lists of keys, groups …)
    go to the report only; `problems` make the command exit non-zero."""

    summary: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class MaintenanceCommand(BaseCommand, metaclass=ABCMeta):
    report_name: str = ""
    # Has --apply: without it the command only reports what it would do.
    destructive: bool = True
    # Changes media (files or records) when it acts: stops the media-creating jobs first.
    changes_media: bool = True

    def add_arguments(self, parser):
        if self.destructive:
            parser.add_argument(
                "--apply", action="store_true", help="Act. Without it, only report what would be done."
            )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Records per database batch (default 500)."
        )
        if self.changes_media:
            parser.add_argument(
                "--jobs-timeout",
                type=float,
                default=60.0,
                help="Seconds to wait for the media jobs to finish their current work (default 60).",
            )
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser) -> None:
        """Arguments of the command itself."""

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.applying = options.get("apply", False) or not self.destructive
        # The raw stream: a bar redraws its line, which OutputWrapper (adding "\n") would break.
        self.progress = progress_to(self.stdout._out)
        started_at = datetime.now(UTC)
        if self.destructive and not self.applying:
            self.stdout.write("Dry run: nothing will change. Add --apply to act.")
        elif self.changes_media:
            try:
                media_jobs_stop(timeout=options["jobs_timeout"], stream=self.stdout)
            except JobsStillWorking as error:
                raise CommandError(str(error)) from None
        outcome = self.run(**options)
        report = self.write_report(outcome, started_at=started_at, options=options)
        self.render(outcome, report)
        if outcome.problems:
            raise CommandError(f"{len(outcome.problems)} problem(s): " + "; ".join(outcome.problems[:5]))

    @abstractmethod
    def run(self, **options) -> Outcome:
        """The command's work (a call of a `media.maintenance` function), as an Outcome."""

    def write_report(self, outcome: Outcome, *, started_at: datetime, options: dict) -> Path:
        return report_write(
            self.report_name,
            {
                "command": self.report_name.replace("-", "_"),
                "applied": self.applying,
                "started_at": started_at,
                "finished_at": datetime.now(UTC),
                "summary": outcome.summary,
                "problems": outcome.problems,
                **outcome.details,
            },
        )

    def render(self, outcome: Outcome, report: Path) -> None:
        width = max((len(label) for label in outcome.summary), default=0)
        for label, value in outcome.summary.items():
            shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
            self.stdout.write(f"  {label.ljust(width)}  {shown}")
        self.stdout.write(f"Report: {report}")
