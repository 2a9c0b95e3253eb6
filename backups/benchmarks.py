"""Benchmark of a full backup and restore: N people, each with a profile, a note, an attribute
change in its history, an event and one small image, exported with the media (`export_all
--with-media`), then restored (`import_all --apply`, checks included) into the emptied database
and a new media folder.

Floor: the same work without our code, copying the media folder with `cp -r` and reading every
row of every table with plain SQL.
"""

import hashlib
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from attributes.models import AttributeHistory
from backups.bundle import BundleReader
from backups.checks import import_plan
from backups.exporter import export_all
from backups.importer import import_apply
from backups.registry import backup_tables
from events.models import Event
from media.keys import media_key
from media.models import MediaRecord, MediaSource
from media.storage import file_save
from mhc.bench import Bench, benchmark
from mhc.storage_config import local_storage
from notes.models import Note
from profiles.models import Person, Profile

BATCH = 5000


def _seed(size: int) -> int:
    """Write `size` people with their rows and files; returns the bytes of the files."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    total = 0
    for offset in range(0, size, BATCH):
        numbers = range(offset, min(size, offset + BATCH))
        people = Person.objects.bulk_create(Person(username=f"bench_{n:06d}", role="model") for n in numbers)
        profiles = Profile.objects.bulk_create(Profile(person=person) for person in people)
        Note.objects.bulk_create(
            Note(profile=profile, content=f"Seen on cam with a friend, tipped {n} tokens.")
            for n, profile in zip(numbers, profiles, strict=True)
        )
        AttributeHistory.objects.bulk_create(
            AttributeHistory(person=person, attribute_key="watch_list", new_value=True) for person in people
        )
        Event.objects.bulk_create(
            Event(kind="bench.seen", summary="seen", person_id=person.pk, username=person.username)
            for person in people
        )
        records = []
        for n, person in zip(numbers, people, strict=True):
            content = f"bench image {n} ".encode() * 12
            captured_at = start + timedelta(seconds=n)
            sha256 = hashlib.sha256(content).hexdigest()
            key = media_key(
                username=person.username,
                source=MediaSource.UPLOAD,
                captured_at=captured_at,
                sha256=sha256,
                ext="jpg",
            )
            file_save(key, ContentFile(content))
            total += len(content)
            records.append(
                MediaRecord(
                    person=person,
                    source=MediaSource.UPLOAD,
                    file_path=key,
                    sha256=sha256,
                    size_bytes=len(content),
                    captured_at=captured_at,
                )
            )
        MediaRecord.objects.bulk_create(records, batch_size=2000)
    return total


def _floor(media: Path, dest: Path) -> None:
    subprocess.run(["cp", "-r", str(media), str(dest)], check=True)
    with connection.cursor() as cursor:
        for table in backup_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table.model._meta.db_table)}")
            while cursor.fetchmany(2000):
                pass


def _restore(src: Path) -> None:
    reader = BundleReader(src)
    try:
        plan = import_plan(reader)
        if plan.problems:
            raise RuntimeError(f"The restore was refused: {plan.problems.all()[:3]}")
        import_apply(plan, reader)
    finally:
        reader.close()


@benchmark(
    "export",
    help="export_all --with-media, then import_all --apply into an empty database, N people and images.",
    default_size=100_000,
)
def export(bench: Bench) -> None:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT).parent
    total_bytes = _seed(bench.size)
    rows = sum(table.model._base_manager.count() for table in backup_tables())
    bench.note(
        f"{bench.size:,} people with a profile, a note, a history row and an event each; {rows:,} rows; "
        f"{bench.size:,} files of {total_bytes / bench.size:.0f} bytes; local storage, {connection.vendor}."
    )
    floor = bench.measure(
        "floor: cp -r media + SELECT every row",
        lambda: _floor(Path(settings.MEDIA_ROOT), folder / "floor-copy"),
        items=rows,
        bytes=total_bytes,
        record=False,
    )
    dest = folder / "export"
    bench.measure(
        "export_all --with-media",
        lambda: export_all(dest=dest, with_media=True),
        items=rows,
        bytes=total_bytes,
        floor=floor,
    )
    call_command("flush", interactive=False, verbosity=0)
    with override_settings(
        STORAGES={**settings.STORAGES, "default": local_storage(str(folder / "restored"))},
        MEDIA_ROOT=folder / "restored",
    ):
        bench.measure(
            "import_all --apply (checks included)",
            lambda: _restore(dest),
            items=rows,
            bytes=total_bytes,
            floor=floor,
        )
        restored = Person.objects.count()
    if restored != bench.size:
        raise RuntimeError(f"{restored:,} people restored of {bench.size:,}: the figures would mean nothing.")
    bench.note("items/s counts rows; the files are in MB/s. Peak MB is the growth of resident memory.")
