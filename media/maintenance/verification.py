"""The strict regression check of the media library: a baseline of a few people's images, taken
before a change, and the comparison of the same people after it.

For each person, over their live records: `total` records, `working` ones (the file exists in
storage and is not empty), `broken` ones (total minus working, listed by key), the primary
image, and the images that work, known by their sha256 (or key, for a record without one). A
person regresses when an image that worked at baseline has no working live record any more (a
duplicate merged into a record of the same bytes is not a loss), when a file is broken that was
not, when their primary image became broken, or when they are gone; one regression fails the
whole check.

Files are checked against a listing of each folder a person's records live in
(`people/<username>/<source>/`), not one request per file: a listing returns up to 1,000 keys
with their sizes per request, so a person with thousands of images costs a handful of requests
on S3 instead of thousands of HEADs, and a person with a single image costs one request either
way. A folder holds one person's files of one source, so its listing is small enough to hold.
"""

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from media.models import MediaJob, MediaRecord
from media.storage import FolderListing
from profiles.models import Person

BASELINE_KIND = "media-verify-baseline"
RANDOM_PEOPLE = 5


class BaselineError(Exception):
    """A baseline that cannot be taken (unknown usernames) or read (missing, not a baseline)."""


@dataclass(frozen=True)
class PrimaryImage:
    id: str
    key: str
    working: bool


@dataclass(frozen=True)
class PersonImages:
    """One person's live images as storage has them now."""

    person_id: str
    username: str
    total: int
    working: int
    broken: int
    primary: PrimaryImage | None
    chosen: str = "fixed"  # "fixed" (named) or "random" (drawn at baseline time)
    # The images that work (sha256, or "key:<key>" without one); None in an older baseline.
    working_images: list[str] | None = None
    broken_keys: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> "PersonImages":
        primary = data.get("primary")
        images = data.get("working_images")
        if images is not None and not (isinstance(images, list) and all(isinstance(i, str) for i in images)):
            raise ValueError("working_images must be a list of strings")
        broken = data.get("broken_keys", [])
        if not (isinstance(broken, list) and all(isinstance(key, str) for key in broken)):
            raise ValueError("broken_keys must be a list of strings")
        return cls(
            person_id=str(uuid.UUID(str(data["person_id"]))),
            username=str(data["username"]),
            total=_count(data, "total"),
            working=_count(data, "working"),
            broken=_count(data, "broken"),
            primary=PrimaryImage(**primary) if primary else None,
            chosen=str(data.get("chosen", "fixed")),
            working_images=images,
            broken_keys=broken,
        )


def _count(data: dict, name: str) -> int:
    value = data[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return value


def person_images(person: Person, *, chosen: str = "fixed", batch_size: int = 1000) -> PersonImages:
    """Count `person`'s live images that work, listing each of their folders once."""
    records = (
        MediaRecord.objects.live()
        .filter(person=person)
        .only("id", "file_path", "is_primary", "sha256")
        .order_by("file_path")
        .iterator(chunk_size=batch_size)
    )
    total = working = 0
    primary = None
    images: set[str] = set()
    broken: list[str] = []
    listing = FolderListing()
    for record in records:
        works = (listing.size(record.file_path) or 0) > 0
        total += 1
        working += works
        if works:
            images.add(record.sha256 or f"key:{record.file_path}")
        else:
            broken.append(record.file_path)
        if record.is_primary:
            primary = PrimaryImage(id=str(record.id), key=record.file_path, working=works)
    return PersonImages(
        person_id=str(person.pk),
        username=person.username,
        total=total,
        working=working,
        broken=total - working,
        primary=primary,
        chosen=chosen,
        working_images=sorted(images),
        broken_keys=broken,
    )


def people_named(usernames: Iterable[str]) -> list[Person]:
    """The people with these usernames (on the default platform), in the order given.

    Raises BaselineError naming every username nobody has.
    """
    wanted = list(dict.fromkeys(name.strip().lower() for name in usernames if name.strip()))
    found = {
        person.username: person
        for person in Person.objects.filter(username__in=wanted, platform=Person.DEFAULT_PLATFORM)
    }
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise BaselineError(f"Nobody is called {', '.join(unknown)}; no baseline was written.")
    return [found[name] for name in wanted]


def people_random(*, exclude: Iterable[Person], count: int = RANDOM_PEOPLE) -> list[Person]:
    """Up to `count` people drawn at random among those with at least one live image."""
    has_images = MediaRecord.objects.live().filter(person=OuterRef("pk"))
    return list(
        Person.objects.filter(Exists(has_images))
        .exclude(pk__in=[person.pk for person in exclude])
        .order_by("?")[:count]
    )


@dataclass
class Baseline:
    created_at: datetime
    people: list[PersonImages]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": BASELINE_KIND,
            "created_at": self.created_at.isoformat(),
            "storage": settings.MEDIA_STORAGE,
            "people": [asdict(person) for person in self.people],
        }


def baseline_take(*, usernames: Iterable[str], random_count: int = RANDOM_PEOPLE) -> Baseline:
    """The images of the named people plus `random_count` people drawn now."""
    fixed = people_named(usernames)
    drawn = people_random(exclude=fixed, count=random_count)
    return Baseline(
        created_at=datetime.now(UTC),
        people=[person_images(person) for person in fixed]
        + [person_images(person, chosen="random") for person in drawn],
    )


def baseline_write(baseline: Baseline, path: Path, *, force: bool = False) -> None:
    """Save `baseline` at `path`; an existing baseline is replaced only with `force`."""
    if path.exists() and not force:
        raise BaselineError(f"A baseline already exists at {path}; add --force to replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(baseline.as_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)


def baseline_read(path: Path) -> Baseline:
    """The baseline saved at `path` (BaselineError if there is none or it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"No baseline at {path}: take one first with `manage.py media_verify baseline`."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path} is not a readable baseline: {error}") from None
    is_baseline = isinstance(data, dict) and data.get("kind") == BASELINE_KIND
    if not is_baseline or not isinstance(data.get("people"), list):
        raise BaselineError(f"{path} is not a media_verify baseline.")
    try:
        return Baseline(
            created_at=datetime.fromisoformat(data["created_at"]),
            people=[PersonImages.from_dict(person) for person in data["people"]],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BaselineError(f"{path} is not a valid media_verify baseline: {error}") from None


@dataclass(frozen=True)
class PersonComparison:
    """One baselined person then and now (`now` is None when the person is gone)."""

    before: PersonImages
    now: PersonImages | None
    regressions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "REGRESSED" if self.regressions else "OK"


def person_compare(before: PersonImages, now: PersonImages | None) -> PersonComparison:
    """What got worse for one person (regressions) and what merely changed (warnings)."""
    if now is None:
        return PersonComparison(before, None, regressions=["the person is gone"])
    regressions, warnings = [], []
    if before.working_images is None:  # an older baseline: counts are all it has
        if now.broken > before.broken:
            regressions.append(f"broken {before.broken} → {now.broken}")
        if now.working < before.working:
            regressions.append(f"working {before.working} → {now.working}")
    else:
        lost = sorted(set(before.working_images) - set(now.working_images or ()))
        if lost:
            shown = ", ".join(image.removeprefix("key:")[:16] for image in lost[:5])
            regressions.append(f"{len(lost)} working image(s) lost ({shown}{', …' if len(lost) > 5 else ''})")
        newly_broken = sorted(set(now.broken_keys) - set(before.broken_keys))
        if newly_broken:
            regressions.append(f"broken {before.broken} → {now.broken}: {', '.join(newly_broken[:5])}")
        if now.working < before.working and not lost:
            warnings.append(f"working {before.working} → {now.working}: duplicates merged, no image lost")
    was_broken = before.primary is not None and not before.primary.working
    if now.primary is not None and not now.primary.working and not was_broken:
        regressions.append("the primary image is broken")
    if (before.primary and before.primary.id) != (now.primary and now.primary.id):
        warnings.append("the primary image changed")
    return PersonComparison(before, now, regressions=regressions, warnings=warnings)


@dataclass
class Verification:
    """The baselined people compared with now; it passes only if nobody regressed."""

    baseline_created_at: datetime
    people: list[PersonComparison]

    @property
    def regressed(self) -> list[PersonComparison]:
        return [person for person in self.people if person.regressions]

    @property
    def passed(self) -> bool:
        return not self.regressed

    def as_json(self) -> dict[str, Any]:
        """The report's body: the verdict, a summary, and every person then and now."""
        return {
            "baseline_created_at": self.baseline_created_at,
            "passed": self.passed,
            "summary": {
                "people": len(self.people),
                "regressed": len(self.regressed),
                "warnings": sum(len(person.warnings) for person in self.people),
            },
            "people": [
                {
                    "username": person.before.username,
                    "status": person.status,
                    "broken_keys": person.now.broken_keys if person.now else [],
                    "regressions": person.regressions,
                    "warnings": person.warnings,
                    "baseline": asdict(person.before),
                    "now": asdict(person.now) if person.now else None,
                }
                for person in self.people
            ],
        }


def verification_run(baseline: Baseline) -> Verification:
    """Recount exactly the people in `baseline` (found by id, so a renamed person still counts)."""
    compared = []
    for before in baseline.people:
        person = Person.objects.filter(pk=before.person_id).first()
        now = person_images(person, chosen=before.chosen) if person else None
        compared.append(person_compare(before, now))
    return Verification(baseline_created_at=baseline.created_at, people=compared)


def media_jobs_running() -> list[str]:
    """The media-creating jobs that are started (they can change counts while we measure)."""
    return list(
        MediaJob.objects.filter(state=MediaJob.State.STARTED).order_by("name").values_list("name", flat=True)
    )
