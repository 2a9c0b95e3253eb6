"""Fetching over HTTP(S) with the standard library: timeouts, a size cap, SHA-256 while streaming.

`http_fetch` is the one way the media app reads the network (images, the affiliate feed, profile
pages). The standard library's http.client is enough here and gives separate connect and read
timeouts without a new dependency.
"""

import hashlib
import http.client
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from media.models import MediaRecord
from media.services.images import MediaRejected, is_placeholder_digest, is_placeholder_url
from media.services.records import media_create
from media.storage import CHUNK_SIZE, FileDigest
from profiles.models import Person

MAX_REDIRECTS = 5
USER_AGENT = "MHC-Control-Panel/1 (+private archive)"


@dataclass
class Fetched:
    """A downloaded body (from `url`, after redirects), spooled to a temporary file (close it),
    with its size and SHA-256."""

    url: str
    content: BinaryIO
    digest: FileDigest

    def close(self) -> None:
        self.content.close()

    def __enter__(self) -> "Fetched":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_http_url(url: str) -> None:
    """MediaRejected unless `url` is an absolute http or https address."""
    parts = urlsplit(url if isinstance(url, str) else "")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise MediaRejected("Only http and https addresses can be downloaded.", code="scheme")


def _request(url: str, accept: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=settings.MEDIA_DOWNLOAD_CONNECT_TIMEOUT)
    try:
        connection.connect()
        connection.sock.settimeout(settings.MEDIA_DOWNLOAD_READ_TIMEOUT)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": accept})
        return connection, connection.getresponse()
    except (OSError, http.client.HTTPException, UnicodeError) as error:
        connection.close()
        raise MediaRejected(
            f"Could not download {url}: {error or type(error).__name__}.", code="network"
        ) from None


def _response(url: str, accept: str) -> tuple[str, http.client.HTTPConnection, http.client.HTTPResponse]:
    """The final response for `url`, following up to MAX_REDIRECTS redirects (http/https only)."""
    for _ in range(MAX_REDIRECTS + 1):
        check_http_url(url)
        connection, response = _request(url, accept)
        location = response.getheader("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            connection.close()
            url = urljoin(url, location)
            continue
        if response.status != 200:
            connection.close()
            raise MediaRejected(f"{url} answered HTTP {response.status}.", code="http")
        return url, connection, response
    raise MediaRejected(f"{url} redirected more than {MAX_REDIRECTS} times.", code="http")


def _spool(response: http.client.HTTPResponse, url: str, max_bytes: int) -> tuple[BinaryIO, FileDigest]:
    too_large = MediaRejected(f"{url} is larger than {max_bytes:,} bytes.", code="too_large")
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    # Handed to the caller open (inside Fetched), who closes it; closed here on any failure.
    content = tempfile.SpooledTemporaryFile(max_size=CHUNK_SIZE)  # noqa: SIM115
    sha, size = hashlib.sha256(), 0
    try:
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            sha.update(chunk)
            content.write(chunk)
    except (OSError, http.client.HTTPException) as error:
        content.close()
        raise MediaRejected(
            f"Downloading {url} failed: {error or type(error).__name__}.", code="network"
        ) from None
    except MediaRejected:
        content.close()
        raise
    content.seek(0)
    return content, FileDigest(size=size, sha256=sha.hexdigest())


def http_fetch(url: str, *, max_bytes: int, accept: str = "*/*") -> Fetched:
    """GET `url` into a temporary file, hashing while it streams and stopping past `max_bytes`."""
    url, connection, response = _response(url, accept)
    try:
        content, digest = _spool(response, url, max_bytes)
    finally:
        connection.close()
    return Fetched(url=url, content=content, digest=digest)


def http_fetch_json(url: str, *, max_bytes: int) -> Any:
    """GET `url` and parse it as JSON (MediaRejected if it is not)."""
    with http_fetch(url, max_bytes=max_bytes, accept="application/json") as fetched:
        try:
            return json.load(fetched.content)
        except (ValueError, UnicodeDecodeError):
            raise MediaRejected(f"{url} did not answer with JSON.", code="http") from None


@contextmanager
def image_fetch(url: str) -> Iterator[Fetched | None]:
    """Download the image at `url` into a temporary file (closed on leaving); yields None when it
    is a known placeholder (by address, hash or size). Raises MediaRejected for a non-http(s)
    address, a network or HTTP error, or more than MEDIA_MAX_IMAGE_BYTES."""
    check_http_url(url)
    if is_placeholder_url(url):
        yield None
        return
    with http_fetch(url, max_bytes=settings.MEDIA_MAX_IMAGE_BYTES, accept="image/*") as fetched:
        yield (
            None if is_placeholder_digest(sha256=fetched.digest.sha256, size=fetched.digest.size) else fetched
        )


def media_save_fetched(
    *, fetched: Fetched, url: str, person: Person, source: str, captured_at: datetime | None = None
) -> tuple[MediaRecord, bool]:
    """Store a downloaded image in `person`'s library (see `media_create`): (the new record,
    True), or (the person's live record that already has these bytes, False)."""
    return media_create(
        person=person,
        source=source,
        content=fetched.content,
        digest=fetched.digest,
        original_filename=PurePosixPath(urlsplit(fetched.url).path).name,
        source_url=url,
        captured_at=captured_at,
    )


@dataclass(frozen=True)
class Download:
    """What downloading an image did: the record it is in (None for a placeholder), and whether
    that record is new (False when the person already had these bytes)."""

    record: MediaRecord | None
    created: bool


def media_download(*, url: str, person: Person, source: str, captured_at: datetime | None = None) -> Download:
    """Download the image at `url` into `person`'s library; see `media_download_and_save`."""
    with image_fetch(url) as fetched:
        if fetched is None:
            return Download(record=None, created=False)
        record, created = media_save_fetched(
            fetched=fetched, url=url, person=person, source=source, captured_at=captured_at
        )
    return Download(record=record, created=created)


def media_download_and_save(
    *, url: str, person: Person, source: str, captured_at: datetime | None = None
) -> MediaRecord | None:
    """Download the image at `url` into `person`'s library (the original system's `download_and_save`).

    Returns the new record; the person's existing live record when they already have these
    bytes (no second file is written); or None when the image is a known placeholder (by
    address, hash or size). Raises MediaRejected for a non-http(s) address, a network or HTTP
    error, more than MEDIA_MAX_IMAGE_BYTES, or bytes that are not an accepted image. The type
    and dimensions always come from the bytes, never from the server's headers.
    """
    return media_download(url=url, person=person, source=source, captured_at=captured_at).record
