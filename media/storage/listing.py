"""Listing the media storage: every file under a prefix, streamed a page (S3) or a folder (local)
at a time, read ahead by a thread where a caller works on each page, and one folder at a time
held for lookups."""

import os
import queue
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

from media.storage import StoredFile, _s3_key, media_storage, s3_client, uses_s3


def files_under(prefix: str, *, exclude: Iterable[str] = ()) -> Iterator[StoredFile]:
    """Every file whose key starts with `prefix`, except those under an `exclude` prefix.

    Streamed: S3 is listed a page (1,000 keys) at a time, a local folder walked directory by
    directory, so memory stays flat for any number of files.
    """
    exclude = tuple(exclude)
    storage = media_storage()
    files = _s3_files(storage, prefix) if uses_s3(storage) else _local_files(storage, prefix)
    for stored in files:
        if exclude and stored.key.startswith(exclude):
            continue
        yield stored


def prefetched(
    items: Iterable, *, ahead: int = 4, chunk: int = 1000, name: str = "media-listing"
) -> Iterator:
    """`items`, read by a background thread up to `ahead` chunks of `chunk` ahead of the
    consumer: a listing's next pages arrive while the caller works on the last one. An error
    of the listing is raised to the consumer; stopping early stops the thread and closes
    `items` (a generator holding a cursor lets it go there)."""
    pages: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            while page := list(islice(iterator, chunk)):
                if not put(page):
                    return
            put(done)
        except BaseException as error:  # handed to the consumer, which raises it
            put(error)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while (page := pages.get()) is not done:
            if isinstance(page, BaseException):
                raise page
            yield from page
    finally:
        stop.set()
        thread.join()


class FolderListing:
    """The files of one folder at a time, {key: size}, for keys looked up in key order.

    A key from another folder than the last one lists that folder (`files_under`: a request per
    1,000 keys on S3) in place of the previous listing, so checking records read in key order
    costs one listing per folder rather than a request per file. A folder
    (`people/<username>/<source>/`) holds one person's files of one source: small enough to hold.
    """

    def __init__(self) -> None:
        self._folder: str | None = None
        self._sizes: dict[str, int] = {}

    def _listed(self, key: str) -> dict[str, int]:
        folder = _folder_of(key)
        if folder != self._folder:
            self._folder = folder
            self._sizes = {stored.key: stored.size for stored in files_under(folder)}
        return self._sizes

    def size(self, key: str) -> int | None:
        """The size of the file at `key`, or None if its folder's listing has no such file."""
        return self._listed(key).get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._listed(key)

    def add(self, key: str, size: int) -> None:
        """Note a file written at `key` since its folder was listed (a later listing has it)."""
        if _folder_of(key) == self._folder:
            self._sizes[key] = size

    def discard(self, key: str) -> None:
        """Note that the file at `key` was removed since its folder was listed."""
        if _folder_of(key) == self._folder:
            self._sizes.pop(key, None)


def folder_files(folder: str) -> dict[str, int]:
    """{key: size} of the files directly or indirectly under `folder` (one listing)."""
    return {stored.key: stored.size for stored in files_under(folder)}


def folder_of(key: str) -> str:
    """The folder of `key`, with its trailing slash."""
    return _folder_of(key)


def _folder_of(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/"


def _s3_files(storage, prefix: str) -> Iterator[StoredFile]:
    location = storage.location.strip("/")
    strip = len(location) + 1 if location else 0
    paginator = s3_client(storage).get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=_s3_key(storage, prefix)):
        for entry in page.get("Contents", ()):
            if entry["Key"].endswith("/"):
                continue  # a "folder" some S3 tools create: an empty object, not a file
            yield StoredFile(key=entry["Key"][strip:], size=entry["Size"], modified_at=entry["LastModified"])


def _local_files(storage, prefix: str) -> Iterator[StoredFile]:
    # A prefix may end inside a folder name ("people/al"): walk from the folder that holds it.
    folder, _, _ = prefix.rpartition("/")
    start = os.path.join(storage.location, folder) if folder else str(storage.location)
    if not os.path.isdir(start):
        return
    yield from _local_folder_files(start, f"{folder}/" if folder else "", prefix)


def _local_folder_files(path: str, folder_key: str, prefix: str) -> Iterator[StoredFile]:
    """The files under the local folder `path` (whose key is `folder_key`) with keys starting
    with `prefix`: its own files, then each subfolder's, in name order (as `os.walk` lists
    them, without following links to folders), skipping subfolders no such key can be in."""
    try:
        with os.scandir(path) as listed:
            entries = sorted(listed, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return  # gone or unreadable since it was listed: as os.walk, nothing to yield
    subfolders = []
    for entry in entries:
        key = folder_key + entry.name
        if entry.is_dir():
            if not entry.is_symlink() and (key.startswith(prefix) or prefix.startswith(key + "/")):
                subfolders.append((entry.path, key + "/"))
        elif key.startswith(prefix):
            stat = entry.stat()
            modified_at = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            yield StoredFile(key=key, size=stat.st_size, modified_at=modified_at)
    for subfolder, key in subfolders:
        yield from _local_folder_files(subfolder, key, prefix)
