"""Helpers for the maintenance command tests: a library laid out as the jobs leave it, written
straight to storage and the table (duplicates included, which the services would refuse), and
running a command as the owner does, exit status included."""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from media.keys import media_key
from media.models import MediaRecord, MediaSource
from media.storage import digest_stream, file_save
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
