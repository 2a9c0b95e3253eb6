"""Orphan files: files under `people/` that no record knows (`FileStatus.UNREGISTERED`).

Three things are done with them, each a plain function the `media_orphans` command renders:
- `orphan_files` finds them, with what their name says (whose they are, or why it cannot tell);
- `orphans_register` gives each one whose name names a known person a record (or relinks the
  record it belongs to), leaving files younger than a minimum age to the upload writing them;
- `orphans_quarantine` moves the files of an owner-approved list to `QUARANTINE/orphans/`, copy
  → verify → delete, a batch at a time (`moves_verified_many`), skipping any that has found a
  record since the list was made.
"""

import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from media.keys import parse_media_key, people_prefix, quarantine_key, unparsable_reason
from media.maintenance.integrity import FileStatus, storage_scan
from media.maintenance.run import ProgressFactory, batches, no_progress
from media.models import MediaRecord
from media.services import (
    Registration,
    RegistrationAction,
    media_register_file,
    mime_type_for_key,
    registration_match,
)
from media.services.bulk_moves import Move, listings, moves_plan, moves_verified_many
from media.storage import file_digest, file_exists
from profiles.models import Person

QUARANTINE_FOLDER = "orphans"
MOVE_REASON = "orphan"


@dataclass(frozen=True)
class OrphanFile:
    """An unregistered file: `username` from its name, or `unparsable` saying why there is none."""

    key: str
    size: int
    modified_at: datetime | None
    username: str = ""
    unparsable: str = ""

    def as_report(self) -> dict:
        return asdict(self)


def orphan_files(*, batch_size: int = 1000, progress: ProgressFactory = no_progress) -> Iterator[OrphanFile]:
    """Every unregistered file under `people/`, streamed."""
    for scanned in storage_scan(batch_size=batch_size, progress=progress):
        if scanned.status != FileStatus.UNREGISTERED:
            continue
        stored, parsed = scanned.file, parse_media_key(scanned.file.key)
        yield OrphanFile(
            key=stored.key,
            size=stored.size,
            modified_at=stored.modified_at,
            username=parsed.username if parsed else "",
            unparsable="" if parsed else unparsable_reason(stored.key),
        )


_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_AGE_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_age(text: str) -> timedelta:
    """A duration written as seconds ("3600", "3600s") or with a unit ("30m", "2h", "1d")."""
    match = _AGE_RE.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a duration: write e.g. 3600, 3600s, 30m, 2h or 1d.")
    return timedelta(seconds=float(match[1]) * _AGE_UNITS[match[2].lower()])


@dataclass
class RegisterOutcome:
    """What `orphans_register` did (or would do), file by file. Each entry is a small dict with
    the key and, where it applies, the record and the reason."""

    registered: list[dict] = field(default_factory=list)
    relinked: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    too_young: list[dict] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)  # for review: no person, or no usable name
    failed: list[dict] = field(default_factory=list)


def _person_or_reason(username: str) -> tuple[Person | None, str]:
    people = list(Person.objects.filter(username=username).only("id", "username")[:2])
    if not people:
        # A folder named after a former username (files stay where they were after a rename).
        people = list(Person.objects.filter(former_usernames__username=username).only("id", "username")[:2])
    if not people:
        return None, f"no person is named {username!r}"
    if len(people) > 1:
        # Keys carry no platform, so the file cannot say which of them it belongs to.
        return None, f"more than one person (on different platforms) is named {username!r}"
    return people[0], ""


def _captured_at(unixtime: int) -> datetime | None:
    try:
        return datetime.fromtimestamp(unixtime, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _register_one(
    orphan: OrphanFile, person: Person, *, apply: bool, outcome: RegisterOutcome, planned: dict
) -> None:
    """Register one file and file the result under `outcome`. A dry run remembers in `planned`
    the bytes it would have registered per person, so it says what --apply will do for a
    second copy of them."""
    entry = {"key": orphan.key, "username": person.username}
    parsed = parse_media_key(orphan.key)
    captured_at = _captured_at(parsed.unixtime)
    if captured_at is None:
        outcome.unknown.append({**entry, "reason": f"the time {parsed.unixtime} in its name is out of range"})
        return
    try:
        digest = file_digest(orphan.key)
    except FileNotFoundError:
        outcome.failed.append({**entry, "error": "the file disappeared before it could be read"})
        return
    if digest.size == 0:
        outcome.unknown.append({**entry, "reason": "the file is empty"})
        return
    entry |= {"sha256": digest.sha256, "size": digest.size}
    if apply:
        registration = media_register_file(
            person=person, key=orphan.key, digest=digest, captured_at=captured_at
        )
    elif earlier := planned.get((person.pk, digest.sha256)):
        outcome.duplicates.append({**entry, "duplicate_of": earlier})
        return
    else:
        registration = registration_match(person=person, digest=digest)
        if registration is None or registration.action == RegistrationAction.RELINKED:
            planned[(person.pk, digest.sha256)] = orphan.key
    _file_result(outcome, entry, registration or Registration(RegistrationAction.REGISTERED, None))


def _file_result(outcome: RegisterOutcome, entry: dict, registration: Registration) -> None:
    if registration.record is not None:
        entry["record_id"] = str(registration.record.pk)
    if registration.action == RegistrationAction.RELINKED:
        outcome.relinked.append({**entry, "previous_key": registration.previous_key})
    elif registration.action == RegistrationAction.DUPLICATE:
        outcome.duplicates.append({**entry, "duplicate_of": registration.record.file_path})
    elif registration.action == RegistrationAction.REGISTERED:
        outcome.registered.append(entry)
    elif registration.action == RegistrationAction.DELETED:
        reason = f"the same image as {registration.record.file_path}, which the owner deleted"
        outcome.unknown.append({**entry, "reason": reason})
    # ALREADY_REGISTERED: a record got this key since the scan; nothing to report.


def orphans_register(
    *,
    apply: bool,
    min_age: timedelta = timedelta(hours=1),
    batch_size: int = 1000,
    progress: ProgressFactory = no_progress,
) -> RegisterOutcome:
    """Register every unregistered file at least `min_age` old whose name names one known
    person (see `media_register_file`); without `apply`, say what would be done. Files without
    such a name go to `unknown` for review. A re-run registers nothing twice."""
    outcome = RegisterOutcome()
    cutoff = timezone.now() - min_age
    person_for = lru_cache(maxsize=4096)(_person_or_reason)  # per run: people change between runs
    planned: dict = {}
    for orphan in orphan_files(batch_size=batch_size, progress=progress):
        entry = {"key": orphan.key, "size": orphan.size, "modified_at": orphan.modified_at}
        if orphan.modified_at is None or orphan.modified_at > cutoff:
            outcome.too_young.append(entry)
            continue
        if orphan.unparsable:
            outcome.unknown.append({**entry, "reason": orphan.unparsable})
            continue
        if mime_type_for_key(orphan.key) is None:
            outcome.unknown.append({**entry, "reason": "the extension is not an image's"})
            continue
        person, reason = person_for(orphan.username)
        if person is None:
            outcome.unknown.append({**entry, "username": orphan.username, "reason": reason})
            continue
        try:
            _register_one(orphan, person, apply=apply, outcome=outcome, planned=planned)
        except Exception as error:  # one bad file must not stop the run; the report names it
            outcome.failed.append({"key": orphan.key, "error": f"{type(error).__name__}: {error}"})
    return outcome


class ApprovedListError(ValueError):
    """The approved list cannot be used; the message says why. Nothing was done."""


def approved_keys_load(path: Path) -> list[str]:
    """The keys of an approved list: JSON with a top-level "files" list whose entries are keys
    or objects with a "key" (so an `orphan-files` report, trimmed, is one). Every key must be
    a file under `people/` of this library; duplicates count once."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApprovedListError(f"There is no approved list at {path}.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ApprovedListError(f"The approved list {path} cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise ApprovedListError(f"The approved list {path} is not valid JSON: {error}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise ApprovedListError(f'The approved list {path} has no "files" list.')
    keys, seen, bad = [], set(), []
    for index, entry in enumerate(files):
        key = entry.get("key") if isinstance(entry, dict) else entry
        if not isinstance(key, str) or not _is_people_key(key):
            bad.append(f"#{index + 1} {key!r}" if isinstance(key, str) else f"#{index + 1} (no key)")
        elif key not in seen:
            seen.add(key)
            keys.append(key)
    if bad:
        raise ApprovedListError(
            f"The approved list {path} has {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} that "
            f"{'is' if len(bad) == 1 else 'are'} not a file under {people_prefix()}: "
            + ", ".join(bad[:5])
            + (" …" if len(bad) > 5 else "")
        )
    if not keys:
        raise ApprovedListError(f"The approved list {path} names no files.")
    return keys


def _is_people_key(key: str) -> bool:
    prefix = people_prefix()
    return (
        key.startswith(prefix)
        and len(key) > len(prefix)
        and not key.endswith("/")
        and posixpath.normpath(key) == key
        and ".." not in key.split("/")
    )


@dataclass(frozen=True)
class QuarantineAction:
    """What happened to one approved file: "moved", "would move", "skipped" or "failed"."""

    key: str
    action: str
    detail: str = ""

    def log_line(self) -> str:
        return f"{datetime.now(UTC).isoformat()}\t{self.action}\t{self.key}\t{self.detail}\n"


def _records_of(keys: list[str]) -> dict[str, tuple]:
    """{key: (record id, deleted_at)} of the records with one of `keys`, a live one first."""
    found: dict[str, tuple] = {}
    rows = MediaRecord.objects.filter(file_path__in=keys).values_list("file_path", "id", "deleted_at")
    for key, record_id, deleted_at in rows:
        if key not in found or (found[key][1] is not None and deleted_at is None):
            found[key] = (record_id, deleted_at)
    return found


def _gone(key: str, in_quarantine: bool) -> QuarantineAction:
    """The skip of a key whose file is no longer there."""
    gone = "already in quarantine" if in_quarantine else "gone: there is no file at this key"
    return QuarantineAction(key, "skipped", gone)


def _quarantine_batch(keys: list[str], actions: dict, *, apply: bool, pool: Executor) -> None:
    """Fill `actions` with what happens to each of `keys` (one batch): skipped, moved (or would
    be) or failed."""
    for key, (record_id, deleted_at) in _records_of(keys).items():
        why = "a record has it now" if deleted_at is None else "a deleted record has it"
        actions[key] = QuarantineAction(key, "skipped", f"no longer unregistered: {why} ({record_id})")
    rest = [key for key in keys if key not in actions]
    present, quarantined = listings(rest, pool, quarantine_folder=QUARANTINE_FOLDER)
    target = {key: quarantine_key(key, folder=QUARANTINE_FOLDER) for key in rest}
    for key in rest:
        if key not in present:
            actions[key] = _gone(key, target[key] in quarantined)
        elif not apply:
            actions[key] = QuarantineAction(key, "would move", f"to {target[key]}")
    to_move = [key for key in rest if key not in actions]
    if not to_move:
        return
    plan = moves_plan(
        wanted=[(key, target[key], None) for key in to_move],
        reason=MOVE_REASON,
        targets_listed=quarantined,
        pool=pool,
    )
    for key in plan.missing:  # gone since the listing
        try:
            actions[key] = _gone(key, file_exists(target[key]))
        except Exception as error:
            actions[key] = QuarantineAction(key, "failed", f"{type(error).__name__}: {error}")
    for key, why in plan.failed.items():
        actions[key] = QuarantineAction(key, "failed", why)

    def still_unregistered(verified: list[Move]) -> set:
        # Checked again in the transaction that marks the copies verified: a record created
        # during the copy makes that move roll back, and the file stays where its record says.
        sources = [move.source_key for move in verified]
        registered = set(
            MediaRecord.objects.filter(file_path__in=sources).values_list("file_path", flat=True)
        )
        return {move.pk for move in verified if move.source_key not in registered}

    moved = moves_verified_many(moves=plan.moves, pool=pool, commit=still_unregistered)
    for move in moved.moved:
        key = move.source_key
        if key in moved.unfinished:
            detail = f"copy verified, but the original could not be removed: {moved.unfinished[key]}"
            actions[key] = QuarantineAction(key, "failed", detail)
        else:
            actions[key] = QuarantineAction(
                key, "moved", f"to {move.target_key} (copy verified, original deleted)"
            )
    for move, why in moved.failed:
        actions[move.source_key] = QuarantineAction(
            move.source_key, "failed", f"The copy {why}; the original stays."
        )
    for move in moved.refused:
        why = "no longer unregistered: a record was created during the move"
        actions[move.source_key] = QuarantineAction(move.source_key, "skipped", why)


def orphans_quarantine(
    *, keys: Iterable[str], apply: bool, batch_size: int = 500, workers: int | None = None
) -> Iterator[QuarantineAction]:
    """Move each of `keys` that is still an unregistered file to `QUARANTINE/orphans/<key>`,
    copy → verify → delete, a batch at a time (`moves_verified_many`, `workers` storage
    requests at once, by default the MEDIA_MAINTENANCE_WORKERS setting); without `apply`, say
    what would move. A key that has a record now, or whose file is gone (already quarantined),
    is skipped with the reason. An error on one key (storage unreachable, …) fails that key
    and the run goes on."""
    workers = workers or settings.MEDIA_MAINTENANCE_WORKERS
    with ThreadPoolExecutor(workers, thread_name_prefix="media-orphans") as pool:
        for batch in batches(keys, batch_size):
            actions: dict[str, QuarantineAction] = {}
            try:
                _quarantine_batch(batch, actions, apply=apply, pool=pool)
            except Exception as error:  # a listing refused, …: the rest of the batch waits
                failed = QuarantineAction("", "failed", f"{type(error).__name__}: {error}")
                actions = {key: actions.get(key) or replace(failed, key=key) for key in batch}
            yield from (actions[key] for key in batch)
