from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from media.selectors import media_job_statuses
from media.services import MEDIA_CREATING_JOBS, JobsStillWorking, jobs_start, jobs_stop_and_wait
from mhc.exceptions import ValidationError


class Command(BaseCommand):
    help = (
        "Stop, start or show the media-creating jobs. `stop` waits until none of them has work in "
        "progress (or fails after --timeout); the state survives restarts."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        stop = actions.add_parser("stop", help="Stop jobs and wait until they are idle.")
        stop.add_argument(
            "names", nargs="*", metavar="job", help=f"Default: all of {', '.join(MEDIA_CREATING_JOBS)}."
        )
        stop.add_argument("--timeout", type=float, default=60.0, help="Seconds to wait (default 60).")
        start = actions.add_parser("start", help="Start jobs again.")
        start.add_argument("names", nargs="*", metavar="job", help="Default: all of them.")
        actions.add_parser("status", help="Show each job's state and what its worker last reported.")

    def handle(self, *args, action, names=None, timeout=60.0, **options):
        names = names or list(MEDIA_CREATING_JOBS)
        try:
            if action == "stop":
                if timeout < 0:
                    raise CommandError("--timeout cannot be negative.")
                jobs_stop_and_wait(names=names, timeout=timeout)
                self.stdout.write(self.style.SUCCESS(f"Stopped and verified idle: {', '.join(names)}."))
            elif action == "start":
                jobs_start(names=names)
                self.stdout.write(self.style.SUCCESS(f"Started: {', '.join(names)}."))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except JobsStillWorking as error:
            raise CommandError(str(error)) from None
        self._status()

    def _status(self) -> None:
        now = timezone.now()
        rows = [("job", "state", "work in progress", "last heartbeat", "last error")]
        for status in media_job_statuses():
            if status.is_working:
                working = f"{status.current_unit} ({(now - status.working_since).total_seconds():.0f} s)"
            elif status.working_since:
                working = "none (worker stopped beating mid-unit)"
            else:
                working = "none"
            beat = (
                f"{(now - status.heartbeat_at).total_seconds():.0f} s ago" if status.heartbeat_at else "never"
            )
            rows.append((status.name, status.state, working, beat, status.last_error[:60]))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        for status in media_job_statuses():
            if status.last_failed_url:
                self.stdout.write(
                    f"{status.name}: last failed download {status.last_failed_at:%Y-%m-%d %H:%M:%S %Z}: "
                    f"{status.last_failed_url} — {status.last_failed_reason}"
                )
        self._last_cycles(now)

    def _last_cycles(self, now) -> None:
        """What each job's latest cycle did, with the address and reason of each failure."""
        for status in media_job_statuses():
            if not status.last_cycle_at:
                continue
            ago = (now - status.last_cycle_at).total_seconds()
            self.stdout.write(
                f"{status.name}, last cycle {ago:.0f} s ago: {status.last_cycle.get('summary', '')}"
            )
            for failure in status.last_cycle.get("failures") or []:
                self.stdout.write(
                    f"  failed: {failure['username']} {failure['url'] or '(no address)'}: {failure['reason']}"
                )
