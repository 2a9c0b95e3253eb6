import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings

from mhc.bench import Bench, registered, table, write_report
from mhc.storage_config import local_storage


@contextmanager
def scratch_database(folder: str):
    """A fresh, migrated database beside the real one (test_<name> on PostgreSQL, a temporary
    file on SQLite), dropped afterwards."""
    real_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


@contextmanager
def scratch_storage(kind: str, folder: str):
    """Media storage for the run: a temporary folder, or a bucket on a local moto_server."""
    folder = Path(folder)
    with ExitStack() as stack:
        if kind == "s3":
            from mhc.s3_sandbox import running_s3_sandbox

            sandbox = stack.enter_context(running_s3_sandbox())
            sandbox.client().create_bucket(Bucket="mhc-bench")
            storage = sandbox.storage_config("mhc-bench")
            extra = {"S3_BUCKET": "mhc-bench", "MEDIA_STORAGE": "s3"}
        else:
            storage = local_storage(str(folder / "media"))
            extra = {"MEDIA_STORAGE": "local"}
        stack.enter_context(
            override_settings(
                STORAGES={
                    **settings.STORAGES,
                    "default": storage,
                    "staticfiles": {"BACKEND": settings.PLAIN_STATIC},
                },
                MEDIA_ROOT=folder / "media",
                REPORTS_DIR=folder / "reports",
                # Pages are requested in-process by Django's test client, over plain HTTP.
                ALLOWED_HOSTS=["testserver"],
                SECURE_SSL_REDIRECT=False,
                **extra,
            )
        )
        yield


class Command(BaseCommand):
    help = "Run a named benchmark on generated data in a scratch database and storage."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Which benchmark (leave out to list them).")
        parser.add_argument("--size", type=int, help="How much data to generate (each has a default).")
        parser.add_argument("--storage", choices=["local", "s3"], help="Media storage to run against.")

    def handle(self, *args, name, size, storage, **options):
        benchmarks = registered()
        if not name:
            for item in benchmarks.values():
                self.stdout.write(f"{item.name:<24} {item.help} (default size {item.default_size:,})")
            return
        if name not in benchmarks:
            raise CommandError(f"No benchmark {name!r}. Known: {', '.join(benchmarks)}.")
        chosen = benchmarks[name]
        storage = storage or chosen.storages[0]
        if storage not in chosen.storages:
            raise CommandError(f"{name} runs on {' or '.join(chosen.storages)} storage, not {storage}.")
        if size is not None and size < 1:
            raise CommandError("--size must be at least 1.")
        bench = Bench(name=name, size=size or chosen.default_size, storage=storage)
        reports_dir = Path(settings.REPORTS_DIR)
        self.stdout.write(f"Running {name} (size {bench.size:,}, {storage} storage, {connection.vendor}) ...")
        with (
            tempfile.TemporaryDirectory(prefix="mhc-bench-") as folder,
            scratch_database(folder),
            scratch_storage(storage, folder),
        ):
            chosen.run(bench)
        self.stdout.write(table(bench))
        for note in bench.notes:
            self.stdout.write(f"  {note}")
        path = write_report(bench, reports_dir)
        self.stdout.write(self.style.SUCCESS(f"Report: {path}"))
