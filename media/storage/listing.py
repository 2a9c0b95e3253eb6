"""Listing the media storage: every file under a prefix, streamed a page (S3) or a folder (local)
at a time, read ahead by a thread where a caller works on each page, and one folder at a time
held for lookups."""

import heapq
import os
import queue
import tempfile
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import BinaryIO

from media.storage import StoredFile, _s3_key, media_storage, s3_client, uses_s3

# Names of one local folder sorted in memory at a time (about 80 bytes each); a folder with more
# is sorted in runs on disk, one open file per run.
FOLDER_RUN = 20_000


def files_under(prefix: str, *, exclude: Iterable[str] = ()) -> Iterator[StoredFile]:
    """Every file whose key starts with `prefix`, except those under an `exclude` prefix, in key
    order: by code point, which is the UTF-8 byte order S3 lists keys in.

    Streamed: S3 is listed a page (1,000 keys) at a time, a local folder walked directory by
    directory holding only the names of the folders being walked, so memory stays flat for any
    number of files.
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

    A key from another folder than the last one lists that folder (`folder_files`: a request per
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
            self._sizes = folder_files(folder)
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
    """{key: size} of the files directly or indirectly under `folder` (one listing). A local
    folder is read without putting its keys in order or reading their times, which a dict of
    sizes does not need (a third of the time of `files_under` for a folder of 50 files)."""
    storage = media_storage()
    if folder.endswith("/") and not uses_s3(storage):
        sizes: dict[str, int] = {}
        _local_sizes(os.path.join(storage.location, folder), folder, sizes)
        return sizes
    return {stored.key: stored.size for stored in files_under(folder)}


def _local_sizes(path: str, folder_key: str, sizes: dict[str, int]) -> None:
    """Add {key: size} of the files under the local folder `path` (whose key is `folder_key`) to
    `sizes`, not following links to folders (as `files_under` and `os.walk`)."""
    try:
        listed = os.scandir(path)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return  # gone, never made, or unreadable: nothing to add, as `files_under`
    with listed:
        for entry in listed:
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        _local_sizes(entry.path, f"{folder_key}{entry.name}/", sizes)
                    continue
                sizes[folder_key + entry.name] = entry.stat().st_size
            except FileNotFoundError:
                continue  # removed since the folder was read


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
    with `prefix`, in key order as S3 lists them, skipping subfolders no such key can be in and
    links to folders (as `os.walk` does).

    Each folder's entries are sorted by name with a "/" after a subfolder's, so that walking depth
    first gives whole keys in string order ("a-b/x" < "a.b" < "a/x" < "ab"); see `_sorted_names`
    for what that holds.
    """
    try:
        names = _sorted_names(path)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return  # gone or unreadable since it was listed: as os.walk, nothing to yield
    for name in names:
        key = folder_key + name
        if name.endswith("/"):
            if key.startswith(prefix) or prefix.startswith(key):
                yield from _local_folder_files(os.path.join(path, name[:-1]), key, prefix)
        elif key.startswith(prefix):
            try:
                stat = os.stat(os.path.join(path, name))
            except FileNotFoundError:
                continue  # removed since its folder was listed
            modified_at = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            yield StoredFile(key=key, size=stat.st_size, modified_at=modified_at)


def _sorted_names(path: str) -> Iterator[str]:
    """The names of the folder `path` (`_walked_names`), sorted. Up to `FOLDER_RUN` names are
    sorted in memory; a larger folder (the 100,000 person folders of `people/`) is sorted in runs
    of that many, each written to a temporary file, and the runs merged as they are read, so
    memory stays flat however many entries a folder has."""
    runs = []
    with os.scandir(path) as listed:
        names = _walked_names(listed)
        while run := sorted(islice(names, FOLDER_RUN)):
            if not runs and len(run) < FOLDER_RUN:
                return iter(run)
            runs.append(_spilled(run))
    return heapq.merge(*(_read_run(run) for run in runs))


def _spilled(names: list[str]) -> BinaryIO:
    """`names` in a temporary file, each followed by a NUL (the one character no name holds)."""
    run = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _read_run
    run.write(b"".join(name.encode("utf-8", "surrogateescape") + b"\0" for name in names))
    run.seek(0)
    return run


def _read_run(run: BinaryIO) -> Iterator[str]:
    """The names `_spilled` wrote, read a chunk at a time; the file is closed (and gone) after."""
    with run:
        rest = b""
        for chunk in iter(lambda: run.read(64 * 1024), b""):
            *names, rest = (rest + chunk).split(b"\0")
            for name in names:
                yield name.decode("utf-8", "surrogateescape")


def _walked_names(listed: Iterator[os.DirEntry]) -> Iterator[str]:
    """The names of a folder's entries, a subfolder's with "/" after it; links to folders are
    left out."""
    for entry in listed:
        if not entry.is_dir():
            yield entry.name
        elif not entry.is_symlink():
            yield entry.name + "/"
