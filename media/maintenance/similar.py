"""Near-duplicate images of a person: the same picture with small differences (re-encoded,
resized, a few pixels changed), as affiliate thumbnails of one broadcast often are.

Each live record gets a perceptual hash (imagehash's pHash, 64 bits, kept in `phash`); two of a
person's pictures whose hashes differ in at most `distance` bits are near-duplicates, and
near-duplicates chain into groups. Groups are only reported: the owner looks at them (admin →
Similar images) and quarantines the ones they approve; nothing is removed automatically.

Finding pairs does not compare every two pictures: a hash is cut into `distance + 1` pieces,
and two hashes within `distance` bits agree on at least one whole piece (pigeonhole), so only
pictures sharing a piece are compared.
"""

import io
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

import imagehash
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from events.services import event_record
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.models import MediaRecord
from media.services import media_soft_delete
from media.storage import file_chunks
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person

DEFAULT_DISTANCE = 6
HASH_BITS = 64


def perceptual_hash(content: bytes) -> str:
    """The pHash of an image's bytes, as 16 hex digits (ValueError if it is not an image)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            return str(imagehash.phash(image))
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"not a readable image: {error}") from None


def _hash_file(key: str) -> str:
    return perceptual_hash(b"".join(file_chunks(key)))


@dataclass
class PhashReport:
    candidates: int = 0
    hashed: int = 0
    failed: list[dict] = field(default_factory=list)


def records_phash(
    *, batch_size: int = 500, workers: int = 8, progress: ProgressFactory = no_progress
) -> PhashReport:
    """Fill the perceptual hash of every live record without one, reading its file (`workers` at
    once). A file that is missing or not a picture is listed in `failed`; a re-run goes on with
    the rest."""
    blank = MediaRecord.objects.live().filter(phash="").only("id", "file_path").order_by("pk")
    report = PhashReport(candidates=blank.count())
    bar = progress("Perceptual hashes", report.candidates)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="media-phash") as pool:
        for batch in batches(blank.iterator(chunk_size=batch_size), batch_size):
            done = []
            for record, outcome in zip(batch, pool.map(_outcome, [r.file_path for r in batch]), strict=True):
                if isinstance(outcome, Exception):
                    report.failed.append(
                        {"id": str(record.pk), "key": record.file_path, "error": str(outcome)}
                    )
                else:
                    record.phash = outcome
                    done.append(record)
            MediaRecord.objects.bulk_update(done, ["phash"])
            report.hashed += len(done)
            bar.advance(len(batch))
    bar.close()
    return report


def _outcome(key: str) -> str | Exception:
    try:
        return _hash_file(key)
    except Exception as error:  # one unreadable file must not stop the run; the report names it
        return error


@dataclass
class SimilarImage:
    id: str
    key: str
    sha256: str
    phash: str
    distance: int  # bits from the group's first picture


@dataclass
class SimilarGroup:
    person_id: str
    username: str
    images: list[SimilarImage]


def _pieces(value: int, count: int) -> list[tuple[int, int]]:
    """`value` cut into `count` pieces of (nearly) equal width: (piece index, piece value)."""
    width, extra = divmod(HASH_BITS, count)
    pieces, shift = [], 0
    for index in range(count):
        bits = width + (index < extra)
        pieces.append((index, (value >> shift) & ((1 << bits) - 1)))
        shift += bits
    return pieces


def _groups_of(values: list[int], distance: int) -> list[list[int]]:
    """Indices of `values` (hashes) forming near-duplicate groups (two or more, chained)."""
    parent = list(range(len(values)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, value in enumerate(values):
        for piece in _pieces(value, distance + 1):
            for j in buckets[piece]:
                if root(i) != root(j) and (value ^ values[j]).bit_count() <= distance:
                    parent[root(i)] = root(j)
            buckets[piece].append(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(values)):
        members[root(i)].append(i)
    return [group for group in members.values() if len(group) > 1]


# No join: PostgreSQL plans a cursor for a fast start, and a join then costs a look-up per row.
_FIELDS = ("id", "person_id", "file_path", "sha256", "phash")


def _people_rows(username: str | None) -> Iterator[list[tuple]]:
    """Each person's live records with a perceptual hash (rows of _FIELDS), a person at a time."""
    rows = MediaRecord.objects.live().exclude(phash="").order_by("person_id", "captured_at", "id")
    if username:
        rows = rows.filter(person__username=username)
    person, current = None, []
    for row in rows.values_list(*_FIELDS).iterator(chunk_size=2000):
        if row[1] != person and current:
            yield current
            current = []
        person = row[1]
        current.append(row)
    if current:
        yield current


def similar_groups(*, distance: int = DEFAULT_DISTANCE, username: str | None = None) -> list[SimilarGroup]:
    """Every person's groups of near-duplicate pictures (not those of one sha256 only: exact
    duplicates are media_dedup's)."""
    if not 0 <= distance < HASH_BITS // 2:
        raise ValueError(f"distance must be between 0 and {HASH_BITS // 2 - 1}.")
    found = []
    for rows in _people_rows(username):
        values = [int(row[4], 16) for row in rows]
        for indices in _groups_of(values, distance):
            if len({rows[i][3] for i in indices}) < 2:
                continue
            first = values[indices[0]]
            found.append(
                SimilarGroup(
                    person_id=str(rows[indices[0]][1]),
                    username="",
                    images=[
                        SimilarImage(
                            id=str(rows[i][0]),
                            key=rows[i][2],
                            sha256=rows[i][3],
                            phash=rows[i][4],
                            distance=(values[i] ^ first).bit_count(),
                        )
                        for i in indices
                    ],
                )
            )
    _name(found)
    return found


def _name(groups: list[SimilarGroup]) -> None:
    """Fill in the groups' usernames, a thousand people a query."""
    ids = sorted({group.person_id for group in groups})
    names = {}
    for start in range(0, len(ids), 1000):
        people = Person.objects.filter(pk__in=ids[start : start + 1000]).values_list("pk", "username")
        names.update((str(pk), username) for pk, username in people)
    for group in groups:
        group.username = names.get(group.person_id, "")


def groups_as_report(groups: list[SimilarGroup]) -> list[dict]:
    return [asdict(group) for group in groups]


def similar_quarantine(*, groups: list[dict], chosen_ids: set[str]) -> tuple[int, list[str]]:
    """Soft-delete (files quarantined, verified) the pictures the owner chose among reported
    `groups`; returns (how many, problems). Refused, changing nothing, for a picture that is in
    no group or would leave its group without a live picture."""
    known = {image["id"]: group for group in groups for image in group["images"]}
    stray = sorted(chosen_ids - set(known))
    if stray:
        raise ValidationError({"images": f"Not in a reported group of similar images: {', '.join(stray)}."})
    for group in {id(known[image_id]): known[image_id] for image_id in chosen_ids}.values():
        ids = [image["id"] for image in group["images"]]
        live = set(MediaRecord.objects.live().filter(pk__in=ids).values_list("pk", flat=True))
        if not {str(pk) for pk in live} - chosen_ids:
            raise ValidationError(
                {"images": f"Keep at least one picture of {group['username']}'s group; none was removed."}
            )
    removed, problems = 0, []
    for record in MediaRecord.objects.live().filter(pk__in=chosen_ids).select_related("person"):
        try:
            media_soft_delete(record=record)
        except Conflict as error:  # a MoveError among them
            problems.append(f"{record.file_path}: {error}")
            continue
        with transaction.atomic():
            event_record(
                kind="media.similar_removed",
                summary=f"A near-duplicate picture was removed: {record.file_path.rsplit('/', 1)[-1]}",
                person=record.person,
                subject=record,
                data={"phash": record.phash, "sha256": record.sha256},
            )
        removed += 1
    return removed, problems
