"""`media-similar`: media_similar's grouping over N perceptual hashes and the hashing of
thumbnails, each against a floor measured in the same run."""

import io
import random
from datetime import UTC, datetime, timedelta

from media.benchmarks.maintenance import DUPLICATE_EVERY, RECORDS_PER_PERSON
from media.models import MediaRecord, MediaSource
from mhc.bench import Bench, benchmark
from profiles.models import Person


def _similar_seed(size: int) -> int:
    """`size` records (no files: only their hashes are read) of N/50 people, with perceptual
    hashes drawn at random, one in five a near copy (a few bits off) of the one before."""
    rng = random.Random(7)
    people = Person.objects.bulk_create(
        Person(username=f"similar_{i:06d}", role="model") for i in range((size - 1) // RECORDS_PER_PERSON + 1)
    )
    records, previous, near = [], 0, 0
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(size):
        person_index, slot = divmod(n, RECORDS_PER_PERSON)
        if slot % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
            value = previous ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64))
            near += 1
        else:
            value = rng.getrandbits(64)
        previous = value
        records.append(
            MediaRecord(
                person=people[person_index],
                source=MediaSource.AFFILIATE_API,
                file_path=f"people/{people[person_index].username}/affiliate_api/{n}.jpg",
                sha256=f"{n:064x}",
                phash=f"{value:016x}",
                captured_at=start + timedelta(seconds=n),
            )
        )
    MediaRecord.objects.bulk_create(records, batch_size=2000)
    return near


def _similar_read_floor() -> None:
    for _ in MediaRecord.objects.live().values_list("person_id", "phash").iterator(chunk_size=2000):
        pass


@benchmark(
    "media-similar",
    help="media_similar's grouping over N perceptual hashes (and the hashing of 300 pictures).",
    default_size=100_000,
)
def media_similar(bench: Bench) -> None:
    from PIL import Image

    from media.maintenance.similar import perceptual_hash, similar_groups

    near = _similar_seed(bench.size)
    bench.note(f"{bench.size:,} records of {Person.objects.count():,} people, {near:,} near copies.")
    floor = bench.measure(
        "floor: read every (person, hash)", _similar_read_floor, items=bench.size, record=False
    )
    found = []
    bench.measure(
        "similar_groups (distance 6)",
        lambda: found.extend(similar_groups(distance=6)),
        items=bench.size,
        floor=floor,
    )
    bench.note(f"{len(found):,} groups found ({near:,} near copies seeded).")
    pictures = [_picture(n) for n in range(300)]

    def decode_only() -> None:
        for content in pictures:
            with Image.open(io.BytesIO(content)) as image:
                image.load()

    decode = bench.measure("floor: Pillow decode", decode_only, items=len(pictures), record=False)
    bench.measure(
        "perceptual_hash (pHash)",
        lambda: [perceptual_hash(content) for content in pictures],
        items=len(pictures),
        floor=decode,
    )


def _picture(seed: int) -> bytes:
    """A 360x270 JPEG of random blocks, the size of an affiliate thumbnail."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (360, 270), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(20):
        x, y = rng.randrange(330), rng.randrange(240)
        fill = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(10, 120), y + rng.randrange(10, 90)), fill=fill)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
