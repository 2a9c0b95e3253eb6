"""Benchmark of the media maintenance commands over a generated library: N records of small
files, 20% of them same-person duplicates, sha256 left blank as on older records.

Measures `media_sha256`'s hashing, `media_dedup --apply` and `media_check` (both before and
after the dedup), on local storage or S3 (moto_server). Floors: `sha256sum` over the same files
(local) or plain boto3 GETs hashed with hashlib on the same number of threads (S3) for the
hashing; a bare listing of the same folder or bucket for the check.
"""

import hashlib
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from media.keys import media_key, people_prefix
from media.maintenance.dedup import dedup_run
from media.maintenance.hashing import records_hash
from media.maintenance.integrity import integrity_check
from media.models import AffiliateSnapshot, MediaRecord, MediaSource
from media.storage import file_save, files_under, uses_s3
from mhc.bench import Bench, benchmark
from profiles.models import Person

RECORDS_PER_PERSON = 50
DUPLICATE_EVERY = 5  # one record in five repeats an earlier image of the same person: 20%
SEED_THREADS = 8  # moto_server answers about 200 requests a second whatever the number
HASH_THREADS = 8


def _content(person_index: int, image_index: int) -> bytes:
    """A small file, distinct per (person, image), 200-ish bytes like a tiny thumbnail."""
    return f"bench image {person_index}/{image_index} ".encode() * 10


def _seed(size: int) -> tuple[int, int]:
    """Write `size` records and their files; returns (total bytes, duplicate records)."""
    people = Person.objects.bulk_create(
        Person(username=f"bench_{i:06d}", role="model") for i in range((size - 1) // RECORDS_PER_PERSON + 1)
    )
    start = datetime(2025, 1, 1, tzinfo=UTC)
    records, files, duplicates, total = [], [], 0, 0
    for n in range(size):
        person_index, slot = divmod(n, RECORDS_PER_PERSON)
        duplicate = slot % DUPLICATE_EVERY == DUPLICATE_EVERY - 1
        content = _content(person_index, slot - 1 if duplicate else slot)
        duplicates += duplicate
        captured_at = start + timedelta(seconds=n)
        person = people[person_index]
        key = media_key(
            username=person.username,
            source=MediaSource.AFFILIATE_API,
            captured_at=captured_at,
            sha256=hashlib.sha256(content).hexdigest(),
            ext="jpg",
        )
        files.append((key, content))
        total += len(content)
        records.append(
            MediaRecord(
                person=person, source=MediaSource.AFFILIATE_API, file_path=key, captured_at=captured_at
            )
        )
    with ThreadPoolExecutor(SEED_THREADS) as pool:
        for _ in pool.map(lambda item: file_save(item[0], ContentFile(item[1])), files, chunksize=256):
            pass
    MediaRecord.objects.bulk_create(records, batch_size=2000)
    # Every duplicate is referenced by a snapshot, so dedup has references to repoint.
    AffiliateSnapshot.objects.bulk_create(
        (
            AffiliateSnapshot(person=record.person, media_locator=record, observed_at=record.captured_at)
            for i, record in enumerate(records)
            if i % RECORDS_PER_PERSON % DUPLICATE_EVERY == DUPLICATE_EVERY - 1
        ),
        batch_size=2000,
    )
    return total, duplicates


def _sha256sum_floor() -> None:
    root = Path(default_storage.location) / people_prefix()
    subprocess.run(
        f"find {root} -type f -print0 | xargs -0 -P1 sha256sum > /dev/null", shell=True, check=True
    )


def _s3_hash_floor() -> None:
    client, bucket = default_storage.connection.meta.client, default_storage.bucket_name
    location = default_storage.location.strip("/")
    keys = (f"{location}/{stored.key}" if location else stored.key for stored in files_under(people_prefix()))

    def fetch(key: str) -> str:
        return hashlib.sha256(client.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest()

    with ThreadPoolExecutor(HASH_THREADS) as pool:
        for _ in pool.map(fetch, keys, chunksize=64):
            pass


def _listing_floor() -> None:
    if uses_s3():
        paginator = default_storage.connection.meta.client.get_paginator("list_objects_v2")
        prefix = f"{default_storage.location.strip('/')}/{people_prefix()}".lstrip("/")
        for page in paginator.paginate(Bucket=default_storage.bucket_name, Prefix=prefix):
            len(page.get("Contents", ()))
        return
    for _ in os.walk(Path(default_storage.location) / people_prefix()):
        pass


def _hash_all(workers: int) -> None:
    report = records_hash(workers=workers)
    if report.hashed != report.candidates or report.missing:
        raise RuntimeError(
            f"Hashed {report.hashed:,} of {report.candidates:,}: the figures would mean nothing."
        )


def _dedup_all(duplicates: int) -> None:
    result = dedup_run(apply=True)
    left = MediaRecord.objects.live().count()
    if result.problems or left != MediaRecord.objects.count() - duplicates:
        raise RuntimeError(f"Dedup left {left:,} live records, problems {result.problems[:3]}.")


def _check_consistent(label: str) -> None:
    report = integrity_check()
    if not report.consistent:
        raise RuntimeError(
            f"{label}: {len(report.missing)} missing, {len(report.unregistered)} unregistered files: "
            "the figures would mean nothing."
        )


@benchmark(
    "media-maintenance",
    help="media_sha256, media_dedup --apply and media_check over N records, 20% duplicates.",
    default_size=100_000,
    storages=("local", "s3"),
)
def media_maintenance(bench: Bench) -> None:
    total_bytes, duplicates = _seed(bench.size)
    bench.note(
        f"{bench.size:,} records of {Person.objects.count():,} people, {duplicates:,} same-person "
        f"duplicates, {total_bytes / 1e6:.1f} MB of files, {bench.storage} storage."
    )
    workers = HASH_THREADS if uses_s3() else 1
    hash_floor = bench.measure(
        "floor: sha256sum" if not uses_s3() else "floor: boto3 GET + hashlib",
        _s3_hash_floor if uses_s3() else _sha256sum_floor,
        items=bench.size,
        bytes=total_bytes,
        record=False,
    )
    bench.measure(
        f"media_sha256 ({workers} worker{'s' if workers > 1 else ''})",
        lambda: _hash_all(workers),
        items=bench.size,
        bytes=total_bytes,
        floor=hash_floor,
    )
    _listing_floor()  # warm the file system cache or the server, as a second run would find it
    listing = bench.measure("floor: bare listing", _listing_floor, items=bench.size, record=False)
    bench.measure(
        "media_check (before dedup)",
        lambda: _check_consistent("media_check"),
        items=bench.size,
        floor=listing,
    )
    bench.measure(
        "media_dedup --apply",
        lambda: _dedup_all(duplicates),
        items=duplicates,
    )
    bench.measure(
        "media_check (after dedup)",
        lambda: _check_consistent("media_check after dedup"),
        items=bench.size - duplicates,
    )
    bench.note("media_dedup's items/s counts duplicates quarantined (a verified move, a soft delete each).")
