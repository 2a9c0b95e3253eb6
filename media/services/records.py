"""Every write to media records: storing a new image, the primary image, soft delete, restore
and hard delete."""

from datetime import datetime
from typing import BinaryIO
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.services import event_record
from media.keys import media_key, quarantine_key
from media.models import MediaRecord, MediaSource
from media.services.images import MediaRejected, image_inspect
from media.services.moves import SourceMissing, move_verified, moves_recover
from media.storage import FileDigest, digest_stream, file_delete, file_exists, file_save
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person


def person_media_lock(person_id: UUID) -> None:
    """Serialise writes to one person's media (two saves of the same image, two primaries)."""
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()


def _media_event(record: MediaRecord, kind: str, words: str, person: Person | None = None, **data) -> None:
    person = person or record.person
    name = record.original_filename or record.file_path.rsplit("/", 1)[-1]
    event_record(
        kind=kind,
        summary=f"Image {words} on {person.username}: {name}",
        person=person,
        subject=("media.mediarecord", record.pk),
        data={"source": record.source, "file_path": record.file_path, **data},
    )


def media_create(
    *,
    person: Person,
    source: str,
    content: BinaryIO,
    original_filename: str = "",
    source_url: str = "",
    captured_at: datetime | None = None,
    is_primary: bool = False,
    digest: FileDigest | None = None,
) -> tuple[MediaRecord, bool]:
    """Store an image of `person` and record it; returns (record, created).

    The bytes must be a complete image in an accepted format and at most MEDIA_MAX_IMAGE_BYTES.
    If the person already has a live record with the same SHA-256, that record is returned
    (`created` False) and no second file is written. `digest` may be passed when the caller
    already hashed the bytes while receiving them.
    """
    if source not in MediaSource.values:
        raise ValidationError({"source": f"Source must be one of: {', '.join(MediaSource.values)}."})
    content.seek(0)
    digest = digest or digest_stream(content)
    content.seek(0)
    if digest.size == 0:
        raise MediaRejected("The file is empty.", code="empty")
    if digest.size > settings.MEDIA_MAX_IMAGE_BYTES:
        limit = settings.MEDIA_MAX_IMAGE_BYTES
        raise MediaRejected(f"The image is larger than {limit:,} bytes.", code="too_large")
    facts = image_inspect(content)
    captured_at = captured_at or timezone.now()
    with transaction.atomic():
        person_media_lock(person.pk)
        existing = MediaRecord.objects.live().filter(person=person, sha256=digest.sha256).first()
        if existing is not None:
            if is_primary and not existing.is_primary:
                media_set_primary(record=existing)
            return existing, False
        key = media_key(
            username=person.username,
            source=source,
            captured_at=captured_at,
            sha256=digest.sha256,
            ext=facts.ext,
        )
        try:
            file_save(key, content)
        except FileExistsError:
            raise Conflict(f"A file is already stored at {key}; try again in a second.") from None
        try:
            record = MediaRecord.objects.create(
                person=person,
                source=source,
                file_path=key,
                original_filename=original_filename[:255],
                source_url=source_url[:2048],
                sha256=digest.sha256,
                size_bytes=digest.size,
                mime_type=facts.mime_type,
                width=facts.width,
                height=facts.height,
                captured_at=captured_at,
            )
            _media_event(
                record, "media.added", f"added ({record.get_source_display()})", person, url=source_url
            )
            if is_primary:
                media_set_primary(record=record)
        except BaseException:
            # Nothing refers to the file we have just written: remove it rather than leave an orphan.
            file_delete(key)
            raise
    return record, True


@transaction.atomic
def media_set_primary(*, record: MediaRecord) -> MediaRecord:
    """Make `record` its person's primary image (the others lose the flag)."""
    person_media_lock(record.person_id)
    record.refresh_from_db(fields=["deleted_at", "is_primary"])
    if record.is_deleted:
        raise Conflict("A deleted image cannot be the primary one; restore it first.")
    if not record.is_primary:
        MediaRecord.objects.filter(person_id=record.person_id, is_primary=True).update(is_primary=False)
        record.is_primary = True
        record.save(update_fields=["is_primary"])
        _media_event(record, "media.primary_set", "made primary")
    return record


@transaction.atomic
def media_clear_primary(*, record: MediaRecord) -> MediaRecord:
    """Take the primary flag off `record` (the header then shows the newest image)."""
    if MediaRecord.objects.filter(pk=record.pk, is_primary=True).update(is_primary=False):
        _media_event(record, "media.primary_cleared", "no longer primary")
    record.is_primary = False
    return record


def media_soft_delete(*, record: MediaRecord) -> MediaRecord:
    """Mark `record` deleted and move its file to quarantine (copy → verify → delete).

    The record keeps its `file_path`; the file then lives at `quarantine_key(file_path)`. A
    record whose file is already missing is still marked deleted, so the gallery stops showing
    a broken image.
    """
    record.refresh_from_db(fields=["deleted_at", "is_primary"])
    if record.is_deleted:
        raise Conflict("This image is already deleted.")
    moves_recover(record=record)

    def mark_deleted() -> None:
        changed = MediaRecord.objects.filter(pk=record.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), is_primary=False
        )
        if not changed:
            raise Conflict("This image is already deleted.")
        _media_event(record, "media.deleted", "deleted (file kept in quarantine)")

    try:
        move_verified(
            source=record.file_path,
            target=quarantine_key(record.file_path),
            reason="soft-delete",
            record=record,
            on_verified=mark_deleted,
        )
    except SourceMissing:
        with transaction.atomic():
            mark_deleted()
    record.refresh_from_db()
    return record


def media_restore(*, record: MediaRecord) -> MediaRecord:
    """Bring a soft-deleted record back, with its file (moved back out of quarantine)."""
    record.refresh_from_db(fields=["deleted_at"])
    if not record.is_deleted:
        raise Conflict("This image is not deleted.")
    live = MediaRecord.objects.live().filter(person_id=record.person_id)
    if record.sha256 and live.filter(sha256=record.sha256).exists():
        raise Conflict("The same image is already in this person's gallery.")
    if MediaRecord.objects.live().filter(file_path=record.file_path).exists():
        raise Conflict("Another image now uses this image's storage key, so it cannot be restored.")
    moves_recover(record=record)

    def mark_live() -> None:
        if not MediaRecord.objects.filter(pk=record.pk, deleted_at__isnull=False).update(deleted_at=None):
            raise Conflict("This image is not deleted.")
        _media_event(record, "media.restored", "restored")

    try:
        move_verified(
            source=quarantine_key(record.file_path),
            target=record.file_path,
            reason="restore",
            record=record,
            on_verified=mark_live,
        )
    except SourceMissing:
        if not file_exists(record.file_path):
            missing = "The file of this image is missing from storage, so it cannot be restored."
            raise Conflict(missing) from None
        with transaction.atomic():
            mark_live()
    record.refresh_from_db()
    return record


def media_hard_delete(*, record: MediaRecord) -> None:
    """Remove a soft-deleted record and its quarantined file for good. Explicit only: never
    called by the page or the API, and refused for a live record."""
    record.refresh_from_db(fields=["deleted_at"])
    if not record.is_deleted:
        raise Conflict("Only a deleted image can be removed for good; delete it first.")
    key, in_quarantine = record.file_path, quarantine_key(record.file_path)

    def delete_files() -> None:
        file_delete(in_quarantine)
        if not MediaRecord.objects.live().filter(file_path=key).exists():
            file_delete(key)  # a record deleted before files were quarantined left it here

    with transaction.atomic():
        _media_event(record, "media.removed", "removed for good")
        record.delete()
        # Only once the record is gone for certain: a rolled-back delete keeps its file.
        transaction.on_commit(delete_files)
