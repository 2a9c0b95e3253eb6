from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.bundle import BundleError, BundleReader
from backups.checks import ImportRefused, import_plan
from backups.importer import import_apply
from events.context import Actor, acting_as
from media.maintenance.run import progress_to


class Command(BaseCommand):
    help = (
        "Restore an export made by export_all into this (empty) database and media storage. "
        "Checks the export first (every file with its SHA-256, every row count, the schema) and "
        "only reports, unless given --apply. An import cut short is finished by running it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="The export: a folder or a .tar file.")
        parser.add_argument(
            "--apply", action="store_true", help="Restore. Without it, only check and report."
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per transaction (default 1000)."
        )

    def handle(self, *args, src: str, apply: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = progress_to(self.stdout._out)
        try:
            reader = BundleReader(Path(src).expanduser().resolve())
        except BundleError as error:
            raise CommandError(str(error)) from None
        try:
            self._run(reader, apply=apply, batch_size=batch_size, progress=progress)
        except (ImportRefused, BundleError) as error:
            raise CommandError(str(error)) from None
        finally:
            reader.close()

    def _run(self, reader, *, apply: bool, batch_size: int, progress) -> None:
        plan = import_plan(reader, progress=progress)
        manifest = plan.manifest
        self.stdout.write(
            f"Export {manifest.id} of {manifest.created_at} (app {manifest.app_version}, {manifest.engine}): "
            f"{manifest.rows:,} rows in {len(manifest.tables)} tables"
            + (
                f", {manifest.files['count']:,} files ({manifest.files['bytes']:,} bytes)."
                if manifest.with_media
                else ", no files."
            )
        )
        for warning in plan.warnings:
            self.stdout.write(f"Note: {warning}")
        if plan.problems:
            for problem in plan.problems.all():
                self.stderr.write(problem)
            raise CommandError(
                f"Refused: {len(plan.problems.lines) + plan.problems.more} problem(s); nothing was changed."
            )
        if plan.resume:
            self.stdout.write(
                f"Taking up the import started {plan.resume.started_at:%Y-%m-%d %H:%M:%S} where it stopped."
            )
        if not apply:
            self.stdout.write(
                "Checked: the export is whole and fits this database. Dry run: add --apply to restore it."
            )
            return
        with acting_as(Actor.command("import_all")):
            result = import_apply(plan, reader, batch_size=batch_size, progress=progress)
        self.stdout.write(f"Restored {result.rows:,} rows and wrote {result.files_written:,} files.")
