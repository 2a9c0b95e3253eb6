"""Bringing a file back out of the quarantine, by its key there.

A file a soft-deleted record owns (`QUARANTINE/<its key>`) goes back with its record
(`media_restore`). Any other quarantined file (an orphan quarantined by `media_orphans`, a
placeholder copy, a file whose record was removed for good) goes back to the key it came from
and is registered as a new record of the person its key names, unless that person already has
the same bytes. Either way the file moves with `move_verified` (journalled, copied, verified by
size and SHA-256, then removed from quarantine), and the restore is an event on the person.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from events.services import event_record
from media.keys import PEOPLE_FOLDER, media_prefix, parse_media_key, quarantine_key, quarantine_prefix
from media.models import MediaRecord
from media.services.moves import SourceMissing, move_verified
from media.services.records import media_restore
from media.services.registration import RegistrationAction, media_register_file, registration_match
from media.storage import file_digest
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person

RESTORE_REASON = "restore-quarantined"


@dataclass(frozen=True)
class QuarantineRestore:
    """What restoring one quarantined file did, or (dry run) would do."""

    key: str
    target: str
    action: str  # "restored", "registered", "would restore", "would register"
    record: MediaRecord | None = None
    detail: str = ""


def quarantined_origin(key: str) -> str:
    """The key a quarantined file came from: `QUARANTINE/[<folder>/]people/…` → `people/…`."""
    prefix = quarantine_prefix()
    if not key.startswith(prefix):
        raise ValidationError(f"{key} is not in the quarantine ({prefix}).")
    rest = key[len(prefix) :]
    if not rest.startswith(PEOPLE_FOLDER):
        _, _, rest = rest.partition("/")  # a folder that keeps one kind apart ("orphans/")
    if not rest.startswith(PEOPLE_FOLDER) or parse_media_key(media_prefix() + rest) is None:
        raise ValidationError(f"{key} is not a quarantined image of a person's folder.")
    return media_prefix() + rest


def _person_named(username: str) -> Person:
    people = list(Person.objects.filter(username=username)[:2])
    if len(people) != 1:
        raise Conflict(
            f"No person is named {username!r}."
            if not people
            else f"More than one person is named {username!r}."
        )
    return people[0]


def _record_event(record: MediaRecord, *, key: str) -> None:
    """The event of an orphan brought back from the quarantine as a new record."""
    event_record(
        kind="media.restored",
        summary="Restored an image from the quarantine (registered as a new image)",
        person=record.person,
        subject=record,
        data={"from": key, "to": record.file_path, "registered": True},
    )


def _restore_with_record(record: MediaRecord, key: str, apply: bool) -> QuarantineRestore:
    if not apply:
        return QuarantineRestore(key, record.file_path, "would restore", record, "back to its deleted record")
    record = media_restore(record=record)  # which records its own media.restored event
    return QuarantineRestore(key, record.file_path, "restored", record, "its record is live again")


def _register_orphan(key: str, target: str, apply: bool) -> QuarantineRestore:
    parsed = parse_media_key(target)
    person = _person_named(parsed.username)
    try:
        digest = file_digest(key)
    except FileNotFoundError:
        raise Conflict(f"There is no file at {key}.") from None
    match = registration_match(person=person, digest=digest)
    if match is not None and match.action == RegistrationAction.DUPLICATE:
        raise Conflict(f"{person.username} already has this image ({match.record.file_path}).")
    if match is not None and match.action == RegistrationAction.DELETED:
        raise Conflict(
            f"A deleted image of {person.username} has the same bytes: restore "
            f"{quarantine_key(match.record.file_path)} instead."
        )
    if not apply:
        return QuarantineRestore(key, target, "would register", None, f"as a new image of {person.username}")
    registered: list[MediaRecord] = []

    def register() -> None:
        registration = media_register_file(
            person=person,
            key=target,
            digest=digest,
            captured_at=datetime.fromtimestamp(parsed.unixtime, tz=UTC),
        )
        if registration.record is None or registration.action not in (
            RegistrationAction.REGISTERED,
            RegistrationAction.RELINKED,
        ):
            raise Conflict(f"{target} could not be registered ({registration.action}).")
        registered.append(registration.record)
        _record_event(registration.record, key=key)

    try:
        move_verified(source=key, target=target, reason=RESTORE_REASON, on_verified=register)
    except SourceMissing:
        raise Conflict(f"There is no file at {key}.") from None
    return QuarantineRestore(key, target, "registered", registered[0], f"a new image of {person.username}")


def media_restore_quarantined(*, key: str, apply: bool = True) -> QuarantineRestore:
    """Bring the quarantined file at `key` back (see the module docstring); `apply=False` says
    what would happen. Raises ValidationError for a key outside the quarantine, Conflict when
    the file cannot come back (its key is taken, the person has the image already …) and
    MoveError when the move fails (the file then stays in quarantine)."""
    target = quarantined_origin(key)
    deleted = MediaRecord.objects.deleted().filter(file_path=target).select_related("person").first()
    if deleted is not None and quarantine_key(deleted.file_path) == key:
        return _restore_with_record(deleted, key, apply)
    if MediaRecord.objects.live().filter(file_path=target).exists():
        raise Conflict(f"A live image already uses {target}.")
    return _register_orphan(key, target, apply)


@dataclass(frozen=True)
class QuarantinedFile:
    """One file of the quarantine listing: where it came from and what restoring it would do."""

    key: str
    size: int
    origin: str  # the key it goes back to ("" when it is not a person's image)
    deleted_record: MediaRecord | None

    @property
    def restores_to(self) -> str:
        if not self.origin:
            return "cannot be restored (not a person's image)"
        if self.deleted_record is not None:
            return "its soft-deleted record"
        return "a new record (orphan)"


def quarantined_files(*, after: str = "", limit: int = 100) -> tuple[list[QuarantinedFile], str]:
    """A page of the quarantine in key order, from the first key after `after`; and the key to
    ask for the next page with ("" on the last page). The listing is streamed, never held."""
    from media.storage import files_under

    page, next_after = [], ""
    for stored in files_under(quarantine_prefix()):
        if stored.key <= after:
            continue
        if len(page) == limit:
            next_after = page[-1][0]
            break
        try:
            origin = quarantined_origin(stored.key)
        except ValidationError:
            origin = ""
        page.append((stored.key, stored.size, origin))
    origins = [origin for _, _, origin in page if origin]
    deleted = {
        record.file_path: record
        for record in MediaRecord.objects.deleted().filter(file_path__in=origins).select_related("person")
    }
    files = []
    for key, size, origin in page:
        record = deleted.get(origin)
        if record is not None and quarantine_key(record.file_path) != key:
            record = None
        files.append(QuarantinedFile(key, size, origin, record))
    return files, next_after
