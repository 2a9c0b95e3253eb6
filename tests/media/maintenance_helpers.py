"""Helpers for the maintenance command tests: a library laid out as the jobs leave it, written
straight to storage and the table (duplicates included, which the services would refuse), and
running a command as the owner does, exit status included."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import media.services.moves
from media.keys import media_key, quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.services import moves_recover
from media.storage import digest_stream, file_digest, file_save
from profiles.models import Person

# Capture times only ever move forward, so two calls never share a key (which holds the second).
_clock = iter(range(10**9))
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def record_with_file(
    person: Person,
    content: bytes,
    *,
    source: str = MediaSource.AFFILIATE_API,
    captured_at: datetime | None = None,
    is_primary: bool = False,
    with_digest: bool = True,
    with_file: bool = True,
) -> MediaRecord:
    """A live record of `person` with `content` stored at its key.

    Each call gets a distinct capture second, hence a distinct key, even for the same bytes.
    `with_digest=False` leaves sha256 and size blank (as older records are); `with_file=False`
    records a file that storage never received.
    """
    digest = digest_stream([content])
    captured_at = captured_at or _EPOCH + timedelta(seconds=next(_clock))
    key = media_key(
        username=person.username, source=source, captured_at=captured_at, sha256=digest.sha256, ext="jpg"
    )
    if with_file:
        file_save(key, ContentFile(content))
    return MediaRecord.objects.create(
        person=person,
        source=source,
        file_path=key,
        sha256=digest.sha256 if with_digest else "",
        size_bytes=digest.size if with_digest else None,
        mime_type="image/jpeg",
        is_primary=is_primary,
        captured_at=captured_at,
    )


def interrupted_move(record: MediaRecord, state: str, *, reason: str, minutes_ago: float = 30) -> MediaMove:
    """A journal entry of a move of `record`'s file into quarantine, as a process cut short in
    `state` leaves it, last updated `minutes_ago`."""
    digest = file_digest(record.file_path)
    move = MediaMove.objects.create(
        source_key=record.file_path,
        target_key=quarantine_key(record.file_path),
        reason=reason,
        size_bytes=digest.size,
        sha256=digest.sha256,
        record=record,
        state=state,
    )
    MediaMove.objects.filter(pk=move.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes_ago))
    return move


def recovered_elsewhere(monkeypatch) -> list:
    """Recovery as another machine runs it once this process's leases have expired (it judges a
    lease by its expiry alone): it takes over every unfinished move and settles it."""
    MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(media.services.moves, "lease_holder", lambda: "elsewhere:1:1")
        elsewhere.setattr(
            media.services.moves,
            "lease_alive",
            lambda holder, expires_at: expires_at is not None and expires_at > timezone.now(),
        )
        return moves_recover()


@dataclass
class CommandRun:
    exit_code: int
    output: str


def run_command(name: str, *args: str) -> CommandRun:
    """Run a management command as from a shell: its output, and 1 where it would exit non-zero."""
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except CommandError as error:
        out.write(f"CommandError: {error}\n")
        return CommandRun(1, out.getvalue())
    return CommandRun(0, out.getvalue())


def jobs_stopped_then_restarted(output: str) -> bool:
    """Whether a run stopped the media jobs (all running before) and, having ended without
    problems, started them again."""
    from media.models import MediaJob

    states = set(MediaJob.objects.values_list("state", flat=True))
    return (
        "Stopped the media-creating jobs" in output
        and "Started the media jobs again" in output
        and states == {MediaJob.State.STARTED}
    )
