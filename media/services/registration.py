"""Registering a file that is already in storage but that no record knows (an orphan file).

The bytes decide what happens: a live record of the same person with the same SHA-256 whose own
file has gone missing is relinked to the found file (the file is that record's image, moved or
renamed); a live record of the same bytes whose file is there makes the found file a duplicate
copy, left for dedup and quarantine; otherwise a new record is created. So a person never gets a
second live record of the same image, and registering the same file twice does nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from media.keys import parse_media_key
from media.models import MediaRecord, MediaSource
from media.services.images import ACCEPTED_FORMATS
from media.services.records import person_media_lock
from media.storage import FileDigest, file_exists
from mhc.exceptions import ValidationError
from profiles.models import Person

# The extensions an image of the library is stored under; older files may say "jpeg".
MIME_TYPES_BY_EXT: dict[str, str] = {ext: mime for mime, ext in ACCEPTED_FORMATS.values()} | {
    "jpeg": "image/jpeg"
}


class RegistrationAction:
    REGISTERED = "registered"  # a new record was created for the file
    RELINKED = "relinked"  # a record whose file was missing now points to this file
    DUPLICATE = "duplicate"  # the person already has these bytes in a file that exists
    ALREADY_REGISTERED = "already registered"  # a live record has this key already
    DELETED = "deleted"  # the person's image with these bytes was deleted by the owner


@dataclass(frozen=True)
class Registration:
    """What registering one file did (or would do): `record` is the record concerned, and
    `previous_key` the missing file's key of a relinked one."""

    action: str
    record: MediaRecord | None
    previous_key: str = ""


def mime_type_for_key(key: str) -> str | None:
    """The MIME type the extension of `key` stands for, or None if it is not an image's."""
    return MIME_TYPES_BY_EXT.get(key.rsplit(".", 1)[-1].lower()) if "." in key else None


def registration_match(*, person: Person, digest: FileDigest) -> Registration | None:
    """What a file with `digest` is to `person`'s records: the live record to relink (same
    bytes, its file missing from storage), the live record it duplicates (same bytes, file
    there), the deleted record it would bring back, or None when it is a new image. Reads only;
    checks storage once per live record of those bytes."""
    same_bytes = (
        MediaRecord.objects.live()
        .filter(person=person, sha256=digest.sha256)
        .filter(Q(size_bytes=digest.size) | Q(size_bytes__isnull=True))
        .order_by("created_at", "id")
    )
    duplicate_of = None
    for record in same_bytes:
        if not file_exists(record.file_path):
            return Registration(RegistrationAction.RELINKED, record, previous_key=record.file_path)
        duplicate_of = duplicate_of or record
    if duplicate_of:
        return Registration(RegistrationAction.DUPLICATE, duplicate_of)
    # Registering a copy of an image the owner deleted would bring it back into the gallery.
    deleted = MediaRecord.objects.deleted().filter(person=person, sha256=digest.sha256).first()
    return Registration(RegistrationAction.DELETED, deleted) if deleted else None


def _folder_of(person: Person, username: str) -> bool:
    """Whether a key's username is the person's, now or formerly (files keep their keys after a
    rename or a merge)."""
    return username == person.username or person.former_usernames.filter(username=username).exists()


def media_register_file(
    *,
    person: Person,
    key: str,
    digest: FileDigest,
    captured_at: datetime,
    source: str = MediaSource.AFFILIATE_API,
) -> Registration:
    """Give the file at `key` (in `person`'s folder, hashed as `digest`) a record: relink,
    duplicate or new, as `registration_match` says. The MIME type comes from the extension."""
    parsed = parse_media_key(key)
    if parsed is None or not _folder_of(person, parsed.username):
        raise ValidationError(f"{key} is not a file of {person.username}'s folder.")
    mime_type = mime_type_for_key(key)
    if mime_type is None:
        raise ValidationError(f"{key} does not have an image's extension.")
    with transaction.atomic():
        person_media_lock(person.pk)
        existing = MediaRecord.objects.live().filter(file_path=key).first()
        if existing is not None:
            return Registration(RegistrationAction.ALREADY_REGISTERED, existing)
        match = registration_match(person=person, digest=digest)
        if match is not None and match.action == RegistrationAction.RELINKED:
            record = match.record
            record.file_path = key
            record.size_bytes = digest.size
            record.save(update_fields=["file_path", "size_bytes"])
            return match
        if match is not None:
            return match
        record = MediaRecord.objects.create(
            person=person,
            source=source,
            file_path=key,
            original_filename=key.rsplit("/", 1)[-1],
            sha256=digest.sha256,
            size_bytes=digest.size,
            mime_type=mime_type,
            captured_at=captured_at,
        )
    return Registration(RegistrationAction.REGISTERED, record)
