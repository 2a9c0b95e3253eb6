"""Where an export is written and read: a folder, or one `.tar` file (uncompressed, so that any
tar reads it and images, already compressed, are not squeezed twice).

Names inside a bundle are POSIX paths: `manifest.json`, `files.jsonl`, `rows/<model>.jsonl`,
`media/<storage key>`. A name that would leave the bundle (absolute, or with "..") is refused.
"""

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TextIO

from media.storage import CHUNK_SIZE, FileDigest, digest_stream

MANIFEST = "manifest.json"


class BundleError(Exception):
    """An export that cannot be read or written as asked; the message says which file."""


def safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name or name != path.as_posix():
        raise BundleError(f"{name!r} is not a file name inside an export.")
    return name


def is_tar(path: Path) -> bool:
    return path.suffix == ".tar"


class _ChunkReader:
    """A file-like reader over byte chunks that hashes what passes through."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._buffer = b""
        self.size = 0
        self._sha = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buffer) < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if n < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:n], self._buffer[n:]
        self.size += len(data)
        self._sha.update(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK_SIZE):
            pass

    @property
    def digest(self) -> FileDigest:
        return FileDigest(size=self.size, sha256=self._sha.hexdigest())


class _WrittenTar(tarfile.TarFile):
    """A tar opened for writing that forgets each member once it is written: `TarFile` keeps
    every member's `TarInfo` (most of a kilobyte each) to read them back, which a writer never
    does."""

    def addfile(self, tarinfo, fileobj=None):
        super().addfile(tarinfo, fileobj)
        self.members.clear()


def _tree_size(path: str) -> int:
    """Bytes of the files under the folder `path`, walked without holding its listing (unlike
    `Path.rglob`, which keeps every path it yielded in a set: 185 MB for 100,000 files in their
    own folders). Links to folders are not followed, as `rglob` does not."""
    total = 0
    with os.scandir(path) as listed:
        for entry in listed:
            if entry.is_dir():
                if not entry.is_symlink():
                    total += _tree_size(entry.path)
            elif entry.is_file():
                total += entry.stat().st_size
    return total


class BundleWriter:
    """Writes an export. A folder is written in place (manifest last, so a folder without one is
    an export that did not finish); a tar is written under `<name>.partial` and renamed when done."""

    def __init__(self, dest: Path, *, keep_existing: bool = False):
        self.dest = dest
        self.tar: tarfile.TarFile | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix="mhc-export-"))
        if is_tar(dest):
            if dest.exists():
                raise BundleError(f"{dest} already exists; an export never overwrites one.")
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._partial = dest.with_name(dest.name + ".partial")
            self.tar = _WrittenTar.open(self._partial, "w", format=tarfile.PAX_FORMAT)
            return
        if dest.exists() and any(dest.iterdir()) and not keep_existing:
            raise BundleError(
                f"{dest} is not empty; choose a new folder, or pass --incremental to update the export in it."
            )
        dest.mkdir(parents=True, exist_ok=True)
        (dest / MANIFEST).unlink(missing_ok=True)  # until this export finishes, the folder is not one

    def _path(self, name: str) -> Path:
        return self.dest / safe_name(name)

    def text(self, name: str, fill: Callable[[TextIO], int]) -> tuple[int, FileDigest]:
        """Write the file `name` with `fill(stream)`, which returns how many lines it wrote;
        returns that count and the file's digest. In a folder the file replaces the one of that
        name once written, so `fill` may read the previous one (an incremental export's file list)."""
        path = self._scratch / "text.tmp" if self.tar else self._path(name + ".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("w", encoding="utf-8", newline="\n") as stream:
                count = fill(stream)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        with path.open("rb") as handle:
            digest = digest_stream(handle)
        if self.tar:
            self.tar.add(path, arcname=safe_name(name), recursive=False)
            path.unlink()
        else:
            os.replace(path, self._path(name))
        return count, digest

    def digest(self, name: str) -> FileDigest | None:
        """Size and SHA-256 of a file already written to a folder export (None in a tar)."""
        if self.tar:
            return None
        path = self._path(name)
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return digest_stream(handle)

    def stream(self, name: str, chunks: Iterable[bytes], size: int) -> FileDigest:
        """Write the bytes of `chunks` (`size` of them, as listed) to `name`; returns their digest."""
        reader = _ChunkReader(chunks)
        if self.tar:
            info = tarfile.TarInfo(safe_name(name))
            info.size, info.mtime = size, int(time.time())
            self.tar.addfile(info, reader)
            reader.drain()  # bytes past the listed size mean the file changed while being read
        else:
            path = self._path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                shutil.copyfileobj(reader, out, CHUNK_SIZE)
        if reader.size != size:
            raise BundleError(
                f"{name} changed while it was copied ({size} bytes listed, {reader.size} read)."
            )
        return reader.digest

    def finish(self, manifest: bytes) -> None:
        if self.tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(manifest), int(time.time())
            self.tar.addfile(info, io.BytesIO(manifest))
            self.tar.close()
            os.replace(self._partial, self.dest)
        else:
            partial = self.dest / (MANIFEST + ".partial")
            partial.write_bytes(manifest)
            os.replace(partial, self.dest / MANIFEST)
        shutil.rmtree(self._scratch, ignore_errors=True)

    def abandon(self) -> None:
        if self.tar:
            self.tar.close()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def size_bytes(self) -> int:
        if is_tar(self.dest):
            return self.dest.stat().st_size
        return _tree_size(str(self.dest))


class BundleReader:
    """Reads an export, a folder or a tar."""

    def __init__(self, src: Path):
        self.src = src
        self.tar: tarfile.TarFile | None = None
        if not src.exists():
            raise BundleError(f"There is no export at {src}.")
        if src.is_file():
            try:
                self.tar = tarfile.open(src, "r")  # noqa: SIM115 - closed by close()
            except tarfile.TarError as error:
                raise BundleError(f"{src} is not a tar file: {error}") from error

    def open(self, name: str) -> BinaryIO:
        """The file `name` of the export (FileNotFoundError if it has none)."""
        name = safe_name(name)
        if self.tar:
            try:
                member = self.tar.getmember(name)
            except KeyError:
                raise FileNotFoundError(name) from None
            handle = self.tar.extractfile(member)
            if handle is None:
                raise FileNotFoundError(name)
            return handle
        path = self.src / name
        if not path.is_file():
            raise FileNotFoundError(name)
        return path.open("rb")

    def lines(self, name: str, *, skip: int = 0) -> Iterator[str]:
        """The lines of the text file `name`, after the first `skip`."""
        with self.open(name) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
            for number, line in enumerate(text):
                if number >= skip:
                    yield line

    def chunks(self, name: str) -> Iterator[bytes]:
        with self.open(name) as handle:
            yield from iter(lambda: handle.read(CHUNK_SIZE), b"")

    def digest(self, name: str) -> FileDigest:
        with self.open(name) as handle:
            return digest_stream(handle)

    def close(self) -> None:
        if self.tar:
            self.tar.close()
