from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.bundle import BundleError
from backups.exporter import export_all
from events.context import Actor, acting_as
from media.maintenance.run import progress_to


class Command(BaseCommand):
    help = (
        "Write a full export: one JSON Lines file per table, manifest.json (app version, schema, "
        "row counts, file hashes) and, with --with-media, every media file under its storage key. "
        "DEST is a new folder, or a file ending in .tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="A new (or empty) folder, or a path ending in .tar.")
        parser.add_argument("--with-media", action="store_true", help="Copy the media files too.")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Update the export already in DEST: copy only files whose key and SHA-256 it lacks.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=2000, help="Rows read per query (default 2000)."
        )

    def handle(self, *args, dest: str, with_media: bool, incremental: bool, chunk_size: int, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        try:
            with acting_as(Actor.command("export_all")):
                result = export_all(
                    dest=Path(dest).expanduser().resolve(),
                    with_media=with_media,
                    incremental=incremental,
                    chunk_size=chunk_size,
                    progress=progress_to(self.stdout._out),
                )
        except BundleError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Exported {manifest.rows:,} rows of {len(manifest.tables)} tables to {result.export.path}."
        )
        if with_media:
            files = manifest.files
            self.stdout.write(
                f"Files: {files['count']:,} ({files['bytes']:,} bytes), "
                f"{result.files_copied:,} copied this time."
            )
        self.stdout.write(f"Export id {manifest.id}; size {result.export.size_bytes:,} bytes.")
