"""`manage.py import_legacy <source URL> [--apply]`: move in from the original MHC database."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.context import Actor, acting_as
from events.models import Event
from events.services import event_record
from legacy.importer import Source, SourceError, import_legacy
from legacy.models import ImportProgress
from legacy.report import report_write
from media.maintenance.run import media_jobs_stop
from media.services import JobsStillWorking


def import_changed(result) -> bool:
    """Whether this run changed anything, or finished what killed runs before it wrote without
    recording their event (their checkpoints moved after the last import event)."""
    if result.written:
        return True
    last = Event.objects.filter(kind="import.legacy").order_by("-at").values_list("at", flat=True).first()
    moved = (
        ImportProgress.objects.all() if last is None else ImportProgress.objects.filter(updated_at__gt=last)
    )
    return moved.exists()


class Command(BaseCommand):
    help = (
        "Import everything from the original MHC Control Panel's PostgreSQL database (opened "
        "read-only). Without --apply, shows per table what would be imported, merged and kept "
        "aside, and writes nothing. Safe to run again, and after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source database, e.g. postgres://user:password@host:5432/mhc")
        parser.add_argument("--apply", action="store_true", help="Import. Without it, only report.")
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows per transaction (default 5000)."
        )
        parser.add_argument(
            "--jobs-timeout", type=float, default=60.0, help="Seconds to wait for the media jobs to stop."
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            source = Source(options["source"])
        except SourceError as error:
            raise CommandError(str(error)) from None
        if options["apply"]:
            try:
                media_jobs_stop(timeout=options["jobs_timeout"], stream=self.stdout)
            except JobsStillWorking as error:
                source.close()
                raise CommandError(str(error)) from None
        with acting_as(Actor.command("import_legacy")):
            result = import_legacy(
                source, apply=options["apply"], batch_size=options["batch_size"], show_progress=True
            )
            if result.applied and import_changed(result):
                with transaction.atomic():
                    event_record(
                        kind="import.legacy",
                        summary=(f"Imported the original MHC database ({result.written:,} rows written now)"),
                        data={
                            "source": result.source,
                            "tables": {k: v.as_dict() for k, v in result.tables.items()},
                        },
                    )
        path = report_write(result)
        self.render(result)
        self.stdout.write(f"Report: {path}")
        if not result.balanced:
            raise CommandError("Some table's rows are not all accounted for: see the report.")

    def render(self, result) -> None:
        mode = "Imported" if result.applied else "Dry run (nothing written)"
        self.stdout.write(f"{mode} from {result.source} (schema: {result.generation}).")
        header = f"{'table':<32} {'read':>10} {'imported':>10} {'merged':>10} {'kept aside':>10}"
        self.stdout.write(header)
        for name, tally in sorted(result.tables.items()):
            self.stdout.write(
                f"{name:<32} {tally.read:>10,} {tally.imported:>10,} {tally.merged:>10,} "
                f"{tally.kept_aside:>10,}"
            )
        for name in ("merged_usernames", "invalid_usernames", "unresolved_seen_with", "conflicts"):
            self.stdout.write(f"{name.replace('_', ' ')}: {len(result.lists.get(name, [])):,}")
        spent = ", ".join(f"{name} {seconds:,.1f} s" for name, seconds in result.seconds.items())
        self.stdout.write(f"Time: {spent}.")
        if result.applied:
            if result.written:
                self.stdout.write(f"Wrote {result.written:,} rows.")
            else:
                self.stdout.write("Nothing changed: everything was already imported.")
        else:
            self.stdout.write(
                f"An apply would write {result.written:,} rows. Run again with --apply to import."
            )
