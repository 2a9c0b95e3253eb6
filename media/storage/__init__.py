"""Files of the media library in Django's storage (a local folder, or S3 via django-storages).

The only module in the project that touches media files or boto3: the services, the serving
view and the maintenance commands all go through these functions, which work the same on both
kinds of storage. On S3, the work that would be slow through the generic storage API (reading a
file as a stream, copying inside the bucket, listing under a prefix) uses the storage's own boto3
client, so memory stays bounded however large the library grows.
"""

import base64
import errno
import hashlib
import os
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.functional import LazyObject, empty

CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class FileDigest:
    """A file's size and SHA-256, computed from its bytes."""

    size: int
    sha256: str


@dataclass(frozen=True)
class StoredFile:
    """One file found in storage by `files_under`."""

    key: str
    size: int
    modified_at: datetime | None


def media_storage() -> Storage:
    return default_storage


def _unwrapped(storage):
    """The storage itself behind Django's lazy `default_storage` (set up if it was not yet)."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def uses_s3(storage: Storage | None = None) -> bool:
    from storages.backends.s3 import S3Storage

    return isinstance(_unwrapped(storage or media_storage()), S3Storage)


_shared_clients: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_shared_clients_lock = threading.Lock()


def s3_client(storage):
    """One boto3 client per storage, shared by every thread: django-storages makes a session and
    a resource per thread, which costs about a second of CPU and several MB each in a pool of
    workers, while a boto3 client is safe to share between threads."""
    wrapped = _unwrapped(storage)
    with _shared_clients_lock:
        client = _shared_clients.get(wrapped)
        if client is None:
            client = _shared_clients[wrapped] = wrapped.connection.meta.client
        return client


def _s3_missing(error) -> bool:
    return error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound")


def _s3_key(storage, key: str) -> str:
    location = storage.location.strip("/")
    return f"{location}/{key}" if location else key


def digest_stream(stream: BinaryIO | Iterable[bytes]) -> FileDigest:
    """Size and SHA-256 of a readable binary stream (or an iterable of byte chunks)."""
    sha = hashlib.sha256()
    size = 0
    chunks = iter(lambda: stream.read(CHUNK_SIZE), b"") if hasattr(stream, "read") else stream
    for chunk in chunks:
        sha.update(chunk)
        size += len(chunk)
    return FileDigest(size=size, sha256=sha.hexdigest())


def _s3_head(storage, key: str) -> dict | None:
    from botocore.exceptions import ClientError

    try:
        return s3_client(storage).head_object(Bucket=storage.bucket_name, Key=_s3_key(storage, key))
    except ClientError as error:
        if _s3_missing(error):
            return None
        raise


def file_exists(key: str) -> bool:
    storage = media_storage()
    if uses_s3(storage):
        return _s3_head(storage, key) is not None
    return storage.exists(key)


def file_size(key: str) -> int:
    """The size in bytes of the file at `key` (FileNotFoundError if there is none)."""
    storage = media_storage()
    if uses_s3(storage):
        head = _s3_head(storage, key)
        if head is None:
            raise FileNotFoundError(f"File does not exist: {key}")
        return head["ContentLength"]
    return storage.size(key)


def file_chunks(key: str) -> Iterator[bytes]:
    """The bytes of the file at `key`, streamed in chunks (FileNotFoundError if there is none)."""
    storage = media_storage()
    if uses_s3(storage):
        from botocore.exceptions import ClientError

        try:
            body = s3_client(storage).get_object(Bucket=storage.bucket_name, Key=_s3_key(storage, key))[
                "Body"
            ]
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise FileNotFoundError(f"File does not exist: {key}") from None
            raise
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()
        return
    with storage.open(key, "rb") as handle:
        yield from iter(lambda: handle.read(CHUNK_SIZE), b"")


def file_digest(key: str) -> FileDigest:
    """Size and SHA-256 of the file at `key`, streamed from storage (FileNotFoundError if none)."""
    return digest_stream(file_chunks(key))


def file_open(key: str) -> File:
    """The file at `key`, opened for reading (FileNotFoundError if there is none)."""
    return media_storage().open(key, "rb")


def file_save(key: str, content: File | BinaryIO) -> None:
    """Write `content` to exactly `key`, which must be free (FileExistsError otherwise)."""
    storage = media_storage()
    if storage.exists(key):
        raise FileExistsError(f"A file already exists at {key}.")
    if not isinstance(content, File):
        content = File(content)
    if hasattr(content, "seek"):
        content.seek(0)
    saved = storage.save(key, content)
    if saved != key:
        # Another writer took the key between our check and our write: keep both files intact
        # and let the caller see the clash.
        raise FileExistsError(f"A file appeared at {key} while saving; the new one went to {saved}.")


def file_copy(source: str, target: str) -> None:
    """Copy the file at `source` to `target`, which must be free. Inside the bucket on S3; on a
    local folder a hard link where the file system allows one (`_local_copy`)."""
    storage = media_storage()
    if file_exists(target):
        raise FileExistsError(f"A file already exists at {target}.")
    if uses_s3(storage):
        s3_client(storage).copy(
            {"Bucket": storage.bucket_name, "Key": _s3_key(storage, source)},
            storage.bucket_name,
            _s3_key(storage, target),
        )
        return
    if type(_unwrapped(storage)) is FileSystemStorage:
        _local_copy(storage.path(source), storage.path(target))
        return
    with storage.open(source, "rb") as handle:
        file_save(target, handle)


def file_copy_checked(source: str, target: str, expected: FileDigest) -> str:
    """Copy the file at `source` to the free key `target` and check that the copy holds the bytes
    `expected` describes: returns "" if it does, else what the copy holds instead.

    On S3 the copy is made inside the bucket (CopyObject: nothing downloaded or uploaded) with S3
    computing the copy's SHA-256, so checking it costs no further request; a server that does not
    report it costs one read of the copy. Locally the copy is a hard link where the file system
    allows one (see `_local_copy`): a second name of the source's inode holds the source's bytes
    by construction, so it is checked by that identity and its size rather than read back. A
    copy of the bytes is read back and hashed. An existing file at `target` is a
    FileExistsError, never overwritten; FileNotFoundError if there is no file at `source`.
    """
    storage = media_storage()
    if uses_s3(storage):
        return _sha256_differs(_s3_copy_checked(storage, source, target), expected)
    if type(_unwrapped(storage)) is FileSystemStorage:
        return _local_copy_checked(storage.path(source), storage.path(target), expected)
    # A storage that changes how files are saved is honoured: the copy goes through it.
    with storage.open(source, "rb") as handle:
        file_save(target, handle)
    with storage.open(target, "rb") as copy:
        return _sha256_differs(digest_stream(copy).sha256, expected)


def _sha256_differs(found: str, expected: FileDigest) -> str:
    return "" if found == expected.sha256 else f"sha256 {found}"


def _local_copy_checked(source: str, target: str, expected: FileDigest) -> str:
    """Copy one local file to a new path (`_local_copy`) and check the copy: a hard link by its
    inode and size, a copy of the bytes by reading it back."""
    if _local_copy(source, target):
        made, original = os.stat(target), os.stat(source)
        if (made.st_dev, made.st_ino) != (original.st_dev, original.st_ino):
            return "another file than the original"  # the original's path was replaced meanwhile
        return "" if made.st_size == expected.size else f"{made.st_size} bytes, not {expected.size}"
    with open(target, "rb") as copy:
        return _sha256_differs(digest_stream(copy).sha256, expected)


# Why a hard link cannot be made, where a plain copy still can: another file system, one that
# has no hard links, or a file at its limit of links.
_NO_LINK = frozenset({errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EACCES})


def _local_copy(source: str, target: str) -> bool:
    """Give one local file a second path, never over an existing file (FileExistsError); True
    if it is a hard link, False if the bytes were copied.

    A hard link where the file system allows it: the second path is made without writing the
    bytes again, and removing the first path afterwards frees no blocks (freeing them is what
    makes a removal slow: 1.4 ms a file on ext4 mounted with `discard`, a hundred times the
    link). Media files are written once and never changed in place, so the two paths may share
    their bytes for the moment a move holds both. Elsewhere (another file system, no hard
    links) the kernel copies the bytes."""
    try:
        _link(source, target)
        return True
    except OSError as error:
        if error.errno not in _NO_LINK:
            raise  # FileExistsError, FileNotFoundError, …
    with open(source, "rb") as reader:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            size, sent = os.fstat(reader.fileno()).st_size, 0
            while sent < size:
                count = os.sendfile(descriptor, reader.fileno(), sent, size - sent)
                if count == 0:
                    break
                sent += count
        except BaseException:
            os.close(descriptor)
            os.unlink(target)  # ours, and incomplete
            raise
        os.close(descriptor)
    return False


def _link(source: str, target: str) -> None:
    """A hard link at `target`, its folder made when the first try finds it missing (most
    already exist, so most links cost one call)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)  # another thread may make it too
        os.link(source, target)


def _s3_copy_checked(storage, source: str, target: str) -> str:
    from botocore.exceptions import ClientError

    client = s3_client(storage)
    try:
        answer = client.copy_object(
            Bucket=storage.bucket_name,
            Key=_s3_key(storage, target),
            CopySource={"Bucket": storage.bucket_name, "Key": _s3_key(storage, source)},
            ChecksumAlgorithm="SHA256",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            raise FileNotFoundError(f"File does not exist: {source}") from None
        raise
    reported = answer.get("CopyObjectResult", {}).get("ChecksumSHA256", "")
    if reported and "-" not in reported:  # "-N" marks a checksum of parts, not of the bytes
        return base64.b64decode(reported).hex()
    return file_digest(target).sha256


def files_delete(keys: list[str]) -> dict[str, str]:
    """Remove the files at `keys` (a missing one counts as removed); returns {key: error} of
    those that could not be. On S3 up to 1,000 keys go in one request (DeleteObjects).

    Callers delete a library file only once a verified copy exists (see `services.moves`).
    """
    storage = media_storage()
    failed: dict[str, str] = {}
    if not uses_s3(storage):
        # A plain local folder's files are removed directly (Django's `delete` first asks
        # whether each is a folder); a storage that changes how files go is honoured.
        plain = type(_unwrapped(storage)) is FileSystemStorage
        for key in keys:
            try:
                if plain:
                    os.remove(storage.path(key))
                else:
                    storage.delete(key)
            except FileNotFoundError:
                pass
            except OSError as error:
                failed[key] = str(error)
        return failed
    client = s3_client(storage)
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        try:
            answer = client.delete_objects(
                Bucket=storage.bucket_name,
                Delete={"Objects": [{"Key": _s3_key(storage, key)} for key in chunk], "Quiet": True},
            )
        except Exception as error:  # the whole request failed: none of the chunk is known gone
            failed.update(dict.fromkeys(chunk, f"{type(error).__name__}: {error}"))
            continue
        location = storage.location.strip("/")
        strip = len(location) + 1 if location else 0
        for error in answer.get("Errors", ()):
            failed[error["Key"][strip:]] = f"{error.get('Code')}: {error.get('Message')}"
    return failed


def file_delete(key: str) -> None:
    """Remove the file at `key` (nothing happens if there is none).

    Callers delete a library file only once a verified copy exists (see `services.moves`).
    """
    storage = media_storage()
    if uses_s3(storage):
        s3_client(storage).delete_object(Bucket=storage.bucket_name, Key=_s3_key(storage, key))
        return
    storage.delete(key)


def file_url(key: str) -> str | None:
    """A short-lived pre-signed URL of the file on S3; None for local storage."""
    storage = media_storage()
    if uses_s3(storage):
        return storage.url(key)
    return None


# Listing lives in its own module; it builds on the functions above.
from media.storage.listing import (  # noqa: E402
    FolderListing,
    files_under,
    folder_files,
    folder_of,
    prefetched,
)

__all__ = [
    "CHUNK_SIZE",
    "FileDigest",
    "FolderListing",
    "StoredFile",
    "digest_stream",
    "file_chunks",
    "file_copy",
    "file_copy_checked",
    "file_delete",
    "file_digest",
    "file_exists",
    "file_open",
    "file_save",
    "file_size",
    "file_url",
    "files_delete",
    "files_under",
    "folder_files",
    "folder_of",
    "media_storage",
    "prefetched",
    "s3_client",
    "uses_s3",
]
