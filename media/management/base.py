"""The base of the `media_*` maintenance commands: --apply, stopping the media jobs (and
starting again those that were running once the run ends without problems), progress on
stderr, a summary and a JSON report, and the exit status.

A command names its report and implements `run(**options) -> Outcome`; the work itself is a
plain function in `media.maintenance`. The work is done as the command (events record it), and
an error nothing in the work caught still ends in a summary, a report and exit status 1.
"""

import argparse
import traceback
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.context import Actor, acting_as
from media.maintenance.run import media_jobs_resume, media_jobs_stop, progress_to, report_write
from media.services import JobsStillWorking


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


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
    # Has --workers: storage requests made at once.
    parallel: bool = False

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
            parser.add_argument(
                "--leave-jobs-stopped",
                action="store_true",
                help="Keep the media jobs stopped afterwards (by default those that were running start "
                "again when the run ends without problems).",
            )
        if self.parallel:
            parser.add_argument(
                "--workers",
                type=positive_int,
                default=None,
                help=f"Files moved or read at once (default {settings.MEDIA_MAINTENANCE_WORKERS}, "
                "the MEDIA_MAINTENANCE_WORKERS setting).",
            )
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser) -> None:
        """Arguments of the command itself."""

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.applying = options.get("apply", False) or not self.destructive
        if self.parallel:
            options["workers"] = options.get("workers") or settings.MEDIA_MAINTENANCE_WORKERS
        # The raw stream: a bar redraws its line, which OutputWrapper (adding "\n") would break.
        self.progress = progress_to(self.stderr._out)
        started_at = datetime.now(UTC)
        stopped_jobs = False
        if self.destructive and not self.applying:
            self.stdout.write("Dry run: nothing will change. Add --apply to act.")
        elif self.changes_media:
            try:
                media_jobs_stop(timeout=options["jobs_timeout"], stream=self.stdout, by=self.command_name)
            except JobsStillWorking as error:
                raise CommandError(str(error)) from None
            stopped_jobs = True
        with acting_as(Actor.command(self.command_name)):
            outcome = self.run_guarded(**options)
        report = self.write_report(outcome, started_at=started_at, options=options)
        self.render(outcome, report)
        if outcome.problems:
            if stopped_jobs:
                self.stdout.write("The media jobs stay stopped: `manage.py media_jobs start` starts them.")
            raise CommandError(f"{len(outcome.problems)} problem(s): " + "; ".join(outcome.problems[:5]))
        if stopped_jobs and not options.get("leave_jobs_stopped"):
            media_jobs_resume(by=self.command_name, stream=self.stdout)
        elif stopped_jobs:
            self.stdout.write("The media jobs stay stopped (--leave-jobs-stopped).")

    @property
    def command_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def run_guarded(self, **options) -> Outcome:
        """`run`, with an error it did not catch turned into an Outcome with that problem, so
        the run still ends with a summary, a report and exit status 1."""
        try:
            return self.run(**options)
        except CommandError:
            raise
        except Exception as error:
            self.stderr.write(traceback.format_exc())
            problem = f"The run stopped early: {type(error).__name__}: {error}"
            return Outcome(summary={"stopped early": f"{type(error).__name__}: {error}"}, problems=[problem])

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
