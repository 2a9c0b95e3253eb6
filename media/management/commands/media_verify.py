from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from media.maintenance.run import report_write
from media.maintenance.verification import (
    BaselineError,
    PrimaryImage,
    baseline_read,
    baseline_take,
    baseline_write,
    media_jobs_running,
    verification_run,
)

BASELINE_NAME = "media-verify-baseline.json"
SHOWN_BROKEN = 20  # per person; the report lists every one


def _primary(primary: PrimaryImage | None) -> str:
    if primary is None:
        return "none"
    return f"{primary.key.rsplit('/', 1)[-1]}{'' if primary.working else ' (broken)'}"


def _then_now(before, now) -> str:
    return str(before) if now is None or before == now else f"{before} → {now}"


class Command(BaseCommand):
    help = (
        "The strict regression check of the media library. `baseline` records, for the people in "
        "MEDIA_VERIFY_USERNAMES and --usernames plus five drawn at random, how many of their "
        "images work; `verify` recounts the same people and fails if anyone has more broken or "
        "fewer working images. Read-only."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        default = f"REPORTS_DIR/{BASELINE_NAME}"
        baseline = actions.add_parser("baseline", help="Record the baseline before a change.")
        baseline.add_argument(
            "--usernames",
            default="",
            help="Comma-separated usernames to follow, besides the MEDIA_VERIFY_USERNAMES setting.",
        )
        baseline.add_argument("--file", type=Path, help=f"Where to save the baseline (default {default}).")
        baseline.add_argument("--force", action="store_true", help="Replace an existing baseline.")
        verify = actions.add_parser("verify", help="Compare the library with the baseline.")
        verify.add_argument("--file", type=Path, help=f"The baseline to compare with (default {default}).")

    def handle(self, *args, action, file=None, **options):
        path = file or Path(settings.REPORTS_DIR) / BASELINE_NAME
        self._jobs_notice()
        try:
            if action == "baseline":
                self._baseline(path, usernames=options["usernames"], force=options["force"])
            else:
                self._verify(path)
        except BaselineError as error:
            raise CommandError(str(error)) from None

    def _jobs_notice(self) -> None:
        running = media_jobs_running()
        if running:
            self.stdout.write(
                self.style.WARNING(
                    f"Media jobs running: {', '.join(running)}. They can change the counts while "
                    "they are measured (`manage.py media_jobs stop` stops them)."
                )
            )
        else:
            self.stdout.write("Media jobs: all stopped.")

    def _baseline(self, path: Path, *, usernames: str, force: bool) -> None:
        if path.exists() and not force:
            raise CommandError(f"A baseline already exists at {path}; add --force to replace it.")
        named = [*settings.MEDIA_VERIFY_USERNAMES, *usernames.split(",")]
        baseline = baseline_take(usernames=named)
        baseline_write(baseline, path, force=force)
        self._table(
            ["username", "chosen", "total", "working", "broken", "primary"],
            [
                [p.username, p.chosen, p.total, p.working, p.broken, _primary(p.primary)]
                for p in baseline.people
            ],
        )
        self.stdout.write(self.style.SUCCESS(f"Baseline of {len(baseline.people)} people written to {path}"))

    def _verify(self, path: Path) -> None:
        baseline = baseline_read(path)
        started_at = datetime.now(UTC)
        verification = verification_run(baseline)
        self.stdout.write(f"Baseline {path} taken {baseline.created_at:%Y-%m-%d %H:%M:%S %Z}")
        rows = []
        for compared in verification.people:
            before, now = compared.before, compared.now
            rows.append(
                [
                    before.username,
                    _then_now(before.total, now and now.total),
                    _then_now(before.working, now and now.working),
                    _then_now(before.broken, now and now.broken),
                    _then_now(_primary(before.primary), now and _primary(now.primary)),
                    compared.status if now else "REGRESSED (gone)",
                ]
            )
        self._table(["username", "total", "working", "broken", "primary", "status"], rows)
        for compared in verification.people:
            for warning in compared.warnings:
                self.stdout.write(self.style.WARNING(f"Warning: {compared.before.username}: {warning}"))
            broken = compared.now.broken_keys if compared.now else []
            if broken:
                self.stdout.write(f"Broken files of {compared.before.username} ({len(broken)}):")
                for key in broken[:SHOWN_BROKEN]:
                    self.stdout.write(f"  {key}")
                if len(broken) > SHOWN_BROKEN:
                    self.stdout.write(
                        f"  … and {len(broken) - SHOWN_BROKEN:,} more (every one is in the report)"
                    )
        report = report_write(
            "media-verify",
            {
                "command": "media_verify",
                "baseline": str(path),
                "started_at": started_at,
                "finished_at": datetime.now(UTC),
                "jobs_running": media_jobs_running(),
                **verification.as_json(),
            },
        )
        self.stdout.write(f"Report: {report}")
        if not verification.passed:
            regressed = [f"{c.before.username} ({', '.join(c.regressions)})" for c in verification.regressed]
            raise CommandError(
                f"{len(regressed)} of {len(verification.people)} people regressed: " + "; ".join(regressed)
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(verification.people)} people OK."))

    def _table(self, header: list[str], rows: list[list]) -> None:
        cells = [header, *[[str(cell) for cell in row] for row in rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        for row in cells:
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
