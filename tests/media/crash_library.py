"""The library the crash-safety test kills commands on, written by `seed` in the test's own
database and media folder (run through `manage.py shell` in a separate process)."""

import hashlib
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from media.keys import media_key
from media.models import AffiliateSnapshot, MediaRecord
from media.storage import file_save
from profiles.models import Person

START = datetime(2025, 1, 1, tzinfo=UTC)


def _key(person: Person, captured: datetime, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    return media_key(
        username=person.username, source="affiliate_api", captured_at=captured, sha256=sha, ext="jpg"
    )


def seed(people: int, images_per_person: int) -> None:
    """Per person: every fourth image repeats the one before (a duplicate), every seventh record
    has no sha256 yet, every tenth was deleted before files were quarantined; two files named
    after the person that no record knows, and two whose name says nothing."""
    records = []
    for p in range(people):
        person = Person.objects.create(username=f"crash_{p:02d}", role="model")
        for n in range(images_per_person):
            content = f"image {p}/{n - 1 if n % 4 == 3 else n} ".encode() * 400
            captured = START + timedelta(seconds=p * 1000 + n)
            key = _key(person, captured, content)
            file_save(key, ContentFile(content))
            blank = n % 7 == 6
            records.append(
                MediaRecord(
                    person=person,
                    source="affiliate_api",
                    file_path=key,
                    captured_at=captured,
                    sha256="" if blank else hashlib.sha256(content).hexdigest(),
                    size_bytes=None if blank else len(content),
                    deleted_at=timezone.now() if n % 10 == 5 else None,
                    is_primary=n == 0,
                )
            )
        for n in range(2):
            content = f"orphan {p}/{n} ".encode() * 300
            file_save(
                _key(person, START + timedelta(days=1, seconds=p * 1000 + n), content), ContentFile(content)
            )
            file_save(f"people/{person.username}/affiliate_api/copy {n}.jpg", ContentFile(content + b"?"))
    MediaRecord.objects.bulk_create(records)
    AffiliateSnapshot.objects.bulk_create(
        AffiliateSnapshot(person_id=record.person_id, media_locator=record, observed_at=record.captured_at)
        for record in records
        if record.deleted_at is None and record.captured_at.second % 4 == 3
    )
