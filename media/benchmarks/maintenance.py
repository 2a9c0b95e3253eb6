"""`media-maintenance`, `media-hashing` and `media-dedup-s3`: the maintenance commands over a
generated library, each against a floor measured in the same run (see the package's docstring)."""

import hashlib
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from media.keys import media_key, people_prefix, quarantine_prefix
from media.maintenance.dedup import dedup_run
from media.maintenance.hashing import records_hash
from media.maintenance.integrity import integrity_check
from media.maintenance.run import move_threads
from media.models import AffiliateSnapshot, MediaMove, MediaRecord, MediaSource
from media.storage import file_save, files_under, uses_s3
from mhc.bench import Bench, benchmark, statistics_refresh
from mhc.latency_proxy import running_latency_proxy
from profiles.models import Person

RECORDS_PER_PERSON = 50
DUPLICATE_EVERY = 5  # one record in five repeats an earlier image of the same person: 20%
SEED_THREADS = 8  # moto_server answers about 200 requests a second whatever the number
HASH_THREADS = 8
S3_LATENCY = 0.030  # seconds a request, as real S3 from a nearby machine


def _content(person_index: int, image_index: int) -> bytes:
    """A small file, distinct per (person, image), 200-ish bytes like a tiny thumbnail."""
    return f"bench image {person_index}/{image_index} ".encode() * 10


def _image_content(person_index: int, image_index: int) -> bytes:
    """A file of 100-300 KB, distinct per (person, image), that compresses no more than a JPEG."""
    size = 100_000 + (person_index * 7919 + image_index * 104_729) % 200_000
    return hashlib.shake_256(f"bench image {person_index}/{image_index}".encode()).digest(size)


def _seed(size: int, content=_content) -> tuple[int, int]:
    """Write `size` records and their files; returns (total bytes, duplicate records)."""
    people = Person.objects.bulk_create(
        Person(username=f"bench_{i:06d}", role="model") for i in range((size - 1) // RECORDS_PER_PERSON + 1)
    )
    start = datetime(2025, 1, 1, tzinfo=UTC)
    records, files, duplicates, total = [], [], 0, 0
    for n in range(size):
        person_index, slot = divmod(n, RECORDS_PER_PERSON)
        duplicate = slot % DUPLICATE_EVERY == DUPLICATE_EVERY - 1
        data = content(person_index, slot - 1 if duplicate else slot)
        duplicates += duplicate
        captured_at = start + timedelta(seconds=n)
        person = people[person_index]
        key = media_key(
            username=person.username,
            source=MediaSource.AFFILIATE_API,
            captured_at=captured_at,
            sha256=hashlib.sha256(data).hexdigest(),
            ext="jpg",
        )
        files.append((key, data))
        total += len(data)
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
    statistics_refresh()
    return total, duplicates


def _sha256sum_floor() -> None:
    root = Path(default_storage.location) / people_prefix()
    subprocess.run(
        f"find {root} -type f -print0 | xargs -0 -P2 sha256sum > /dev/null", shell=True, check=True
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
    """A bare listing of what media_check lists: the people's files and the quarantine."""
    if uses_s3():
        paginator = default_storage.connection.meta.client.get_paginator("list_objects_v2")
        for folder in (people_prefix(), quarantine_prefix()):
            prefix = f"{default_storage.location.strip('/')}/{folder}".lstrip("/")
            for page in paginator.paginate(Bucket=default_storage.bucket_name, Prefix=prefix):
                len(page.get("Contents", ()))
        return
    for folder in (people_prefix(), quarantine_prefix()):
        for _ in os.walk(Path(default_storage.location) / folder):
            pass


def _duplicate_keys() -> list[str]:
    """The keys of the records dedup will quarantine: of each pair, the one without a reference
    (the image before each duplicate slot, since the slot's record is referenced)."""
    keys = MediaRecord.objects.order_by("captured_at").values_list("file_path", flat=True)
    return [
        key for n, key in enumerate(keys) if n % RECORDS_PER_PERSON % DUPLICATE_EVERY == DUPLICATE_EVERY - 2
    ]


def _cp_floor(keys: list[str], folder: Path) -> None:
    """`cp` of the same files into another folder, keeping their paths (as the quarantine does)."""
    listing = folder / "duplicates.txt"
    listing.write_text("\n".join(keys) + "\n")
    target = folder / "cp-floor"
    target.mkdir()
    subprocess.run(
        ["xargs", "-a", str(listing), "-d", "\n", "cp", "--parents", "-t", str(target)],
        cwd=default_storage.location,
        check=True,
    )


def _hash_all(workers: int) -> None:
    report = records_hash(workers=workers)
    if report.hashed != report.candidates or report.missing or report.failed:
        raise RuntimeError(
            f"Hashed {report.hashed:,} of {report.candidates:,}: the figures would mean nothing."
        )


def _dedup_all(duplicates: int, workers: int = settings.MEDIA_MAINTENANCE_WORKERS) -> None:
    result = dedup_run(apply=True, workers=workers)
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
    workers = settings.MEDIA_MAINTENANCE_WORKERS
    hash_floor = bench.measure(
        "floor: xargs -P2 sha256sum"
        if not uses_s3()
        else f"floor: boto3 GET + hashlib, {HASH_THREADS} threads",
        _s3_hash_floor if uses_s3() else _sha256sum_floor,
        items=bench.size,
        bytes=total_bytes,
        record=False,
    )
    bench.measure(
        f"media_sha256 ({workers} workers)",
        lambda: _hash_all(workers),
        items=bench.size,
        bytes=total_bytes,
        floor=hash_floor,
    )
    statistics_refresh()
    _listing_floor()  # warm the file system cache or the server, as a second run would find it
    listing = bench.measure("floor: bare listing", _listing_floor, items=bench.size, record=False)
    bench.measure(
        "media_check (before dedup)",
        lambda: _check_consistent("media_check"),
        items=bench.size,
        floor=listing,
    )
    cp_floor = None
    if not uses_s3():
        keys = _duplicate_keys()
        folder = Path(default_storage.location).parent
        cp_floor = bench.measure("floor: cp", lambda: _cp_floor(keys, folder), items=len(keys), record=False)
    dedup = bench.measure(
        f"media_dedup --apply ({workers} workers, {move_threads(workers)} moving)",
        lambda: _dedup_all(duplicates),
        items=duplicates,
        floor=cp_floor,
    )
    listing_after = bench.measure("floor: bare listing", _listing_floor, items=bench.size, record=False)
    bench.measure(
        "media_check (after dedup)",
        lambda: _check_consistent("media_check after dedup"),
        items=bench.size - duplicates,
        floor=listing_after,
    )
    bench.note(
        f"media_dedup: {dedup.queries / duplicates:.2f} SQL statements per duplicate; its items/s counts "
        "duplicates quarantined (a verified move and a soft delete each)."
    )


@benchmark(
    "media-hashing",
    help="media_sha256 over N realistic images (100-300 KB) against xargs -P2 sha256sum.",
    default_size=2_000,
)
def media_hashing(bench: Bench) -> None:
    total_bytes, _ = _seed(bench.size, content=_image_content)
    bench.note(f"{bench.size:,} files of 100-300 KB, {total_bytes / 1e6:.0f} MB in all.")
    _sha256sum_floor()  # warm the page cache, as for both measurements below
    floor = bench.measure(
        "floor: xargs -P2 sha256sum", _sha256sum_floor, items=bench.size, bytes=total_bytes, record=False
    )
    workers = settings.MEDIA_MAINTENANCE_WORKERS
    bench.measure(
        f"media_sha256 ({workers} workers)",
        lambda: _hash_all(workers),
        items=bench.size,
        bytes=total_bytes,
        floor=floor,
    )


def _s3_copy_floor(keys: list[str], threads: int, *, prefix: str) -> None:
    """Server-side copies of `keys` to a scratch prefix with plain boto3 on `threads` threads."""
    client, bucket = default_storage.connection.meta.client, default_storage.bucket_name
    location = default_storage.location.strip("/")

    def copy(key: str) -> None:
        source = f"{location}/{key}" if location else key
        client.copy_object(Bucket=bucket, Key=f"{prefix}/{key}", CopySource={"Bucket": bucket, "Key": source})

    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(copy, keys, chunksize=16):
            pass


def _through_proxy(proxy_url: str):
    storage = {**settings.STORAGES["default"]}
    storage["OPTIONS"] = {**storage["OPTIONS"], "endpoint_url": proxy_url}
    return override_settings(STORAGES={**settings.STORAGES, "default": storage})


def _undo_dedup() -> None:
    """Put the library back as it was before a dedup (files out of quarantine, records live), so
    the next measurement starts from the same library."""
    moves = list(MediaMove.objects.filter(state=MediaMove.State.DONE).values_list("source_key", "target_key"))
    client, bucket = default_storage.connection.meta.client, default_storage.bucket_name
    location = default_storage.location.strip("/")

    def back(move: tuple[str, str]) -> None:
        source, target = (f"{location}/{key}" if location else key for key in move)
        client.copy_object(Bucket=bucket, Key=source, CopySource={"Bucket": bucket, "Key": target})
        client.delete_object(Bucket=bucket, Key=target)

    with ThreadPoolExecutor(SEED_THREADS) as pool:
        for _ in pool.map(back, moves, chunksize=64):
            pass
    MediaMove.objects.all().delete()
    MediaRecord.objects.update(deleted_at=None)


@benchmark(
    "media-dedup-s3",
    help="media_dedup --apply on S3 with 30 ms a request (a proxy in front of moto_server), by workers.",
    default_size=2_500,
    storages=("s3",),
)
def media_dedup_s3(bench: Bench) -> None:
    _, duplicates = _seed(bench.size)
    _hash_all(SEED_THREADS)
    keys = _duplicate_keys()
    endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    bench.note(
        f"{bench.size:,} records, {duplicates:,} same-person duplicates; every request to moto_server "
        f"through a proxy adding {S3_LATENCY * 1000:.0f} ms. The floor is the same number of bare "
        "server-side copies on 16 threads: moto_server answers only so many a second on this machine."
    )
    with running_latency_proxy(endpoint, S3_LATENCY) as proxy_url, _through_proxy(proxy_url):
        for workers in (16, 4, 1):
            # Measured next to each run: this machine's load changes from one minute to the next.
            floor = bench.measure(
                "floor: boto3 CopyObject, 16 threads",
                lambda run=workers: _s3_copy_floor(keys, 16, prefix=f"floor-{run}"),
                items=len(keys),
                record=False,
            )
            bench.measure(
                f"media_dedup --apply ({workers} workers, {move_threads(workers)} moving)",
                lambda workers=workers: _dedup_all(duplicates, workers=workers),
                items=duplicates,
                floor=floor,
            )
            _undo_dedup()
