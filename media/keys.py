"""The storage key layout of the media library, in one place.

    <prefix>people/<username>/<source>/<username>_<unixtime>_<hash8>.<ext>   a person's file
    <prefix>QUARANTINE/[<folder>/]<key without prefix>                      its quarantined copy

The prefix is `S3_PREFIX` (default `mhc/media/`) on S3; a local media folder is the library's
own, so there the prefix is empty.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

PEOPLE_FOLDER = "people/"
QUARANTINE_FOLDER = "QUARANTINE/"

# Older files may carry a longer or shorter hash than the eight characters `media_key` writes.
_FILE_NAME_RE = re.compile(
    r"^(?P<username>[a-z0-9_]{1,64})_(?P<unixtime>\d{1,12})_(?P<hash>[0-9a-zA-Z]{1,64})\.(?P<ext>[a-zA-Z0-9]{1,5})$"
)


@dataclass(frozen=True)
class ParsedKey:
    """What a file's key says about it (see `parse_media_key`)."""

    username: str
    source: str
    unixtime: int
    hash: str
    ext: str


def media_prefix() -> str:
    """The prefix every key of the library starts with ("" or ending with "/")."""
    if settings.MEDIA_STORAGE != "s3":
        return ""
    prefix = settings.S3_PREFIX.strip("/")
    return f"{prefix}/" if prefix else ""


def people_prefix() -> str:
    """Where every person's files live (quarantine excluded)."""
    return media_prefix() + PEOPLE_FOLDER


def quarantine_prefix(folder: str = "") -> str:
    """Where quarantined files live; `folder` (e.g. "orphans") keeps one kind apart."""
    folder = folder.strip("/")
    return media_prefix() + QUARANTINE_FOLDER + (f"{folder}/" if folder else "")


def media_key(*, username: str, source: str, captured_at: datetime, sha256: str, ext: str) -> str:
    """The key a new file of `username` from `source` is stored under."""
    name = f"{username}_{int(captured_at.timestamp())}_{sha256[:8]}.{ext.lower().lstrip('.')}"
    return f"{people_prefix()}{username}/{source}/{name}"


def relative_key(key: str) -> str:
    """`key` without the library prefix."""
    prefix = media_prefix()
    return key[len(prefix) :] if prefix and key.startswith(prefix) else key


def quarantine_key(key: str, *, folder: str = "") -> str:
    """Where the file at `key` goes in quarantine: the same key, under QUARANTINE/[folder/]."""
    return quarantine_prefix(folder) + relative_key(key)


def original_key(key_in_quarantine: str, *, folder: str = "") -> str:
    """The key a quarantined file came from (the inverse of `quarantine_key`)."""
    prefix = quarantine_prefix(folder)
    if not key_in_quarantine.startswith(prefix):
        raise ValueError(f"{key_in_quarantine!r} is not under {prefix!r}.")
    return media_prefix() + key_in_quarantine[len(prefix) :]


def is_quarantined(key: str) -> bool:
    return key.startswith(media_prefix() + QUARANTINE_FOLDER)


def parse_media_key(key: str) -> ParsedKey | None:
    """Username, source, time, hash and extension of a key laid out by `media_key`, or None."""
    relative = relative_key(key)
    if not relative.startswith(PEOPLE_FOLDER):
        return None
    parts = relative[len(PEOPLE_FOLDER) :].split("/")
    if len(parts) != 3:
        return None
    folder_username, source, name = parts
    match = _FILE_NAME_RE.match(name)
    if match is None or match["username"] != folder_username:
        return None
    return ParsedKey(
        username=match["username"],
        source=source,
        unixtime=int(match["unixtime"]),
        hash=match["hash"],
        ext=match["ext"].lower(),
    )


def unparsable_reason(key: str) -> str:
    """Why `parse_media_key` finds no username in `key` ("" when it does)."""
    if parse_media_key(key) is not None:
        return ""
    parts = relative_key(key)[len(PEOPLE_FOLDER) :].split("/")
    if len(parts) != 3:
        return "not at people/<username>/<source>/<file name>"
    match = _FILE_NAME_RE.match(parts[2])
    if match is None:
        return "the file name is not <username>_<unixtime>_<hash>.<ext>"
    return f"the file name's username {match['username']!r} is not its folder's {parts[0]!r}"
