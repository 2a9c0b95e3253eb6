"""Local storage's own ways: a copy is a hard link where the file system allows one (and a copy
of the bytes where it does not), never over an existing file; a listing under a prefix, in key
order."""

import errno
import io
import os

import pytest

import media.storage
from media.storage import (
    FileDigest,
    file_copy,
    file_copy_checked,
    file_digest,
    file_save,
    files_under,
    folder_files,
    listing,
    media_storage,
)


def _path(key: str) -> str:
    return media_storage().path(key)


def test_a_local_copy_is_a_second_link_to_the_same_bytes_and_removing_the_original_keeps_them():
    file_save("people/ann/a.jpg", io.BytesIO(b"ann's image"))
    digest = file_digest("people/ann/a.jpg")
    assert file_copy_checked("people/ann/a.jpg", "QUARANTINE/people/ann/a.jpg", digest) == ""
    assert os.stat(_path("QUARANTINE/people/ann/a.jpg")).st_ino == os.stat(_path("people/ann/a.jpg")).st_ino
    os.remove(_path("people/ann/a.jpg"))
    assert file_digest("QUARANTINE/people/ann/a.jpg") == digest


def test_a_linked_copy_of_another_size_than_expected_does_not_verify():
    file_save("people/ann/a.jpg", io.BytesIO(b"ann's image"))
    expected = FileDigest(size=12, sha256=file_digest("people/ann/a.jpg").sha256)
    assert (
        file_copy_checked("people/ann/a.jpg", "QUARANTINE/people/ann/a.jpg", expected) == "11 bytes, not 12"
    )


@pytest.mark.parametrize(
    "copy",
    [file_copy, lambda source, target: file_copy_checked(source, target, file_digest(source))],
    ids=["file_copy", "file_copy_checked"],
)
def test_a_local_copy_never_replaces_a_file_already_at_the_target(copy):
    file_save("people/ann/a.jpg", io.BytesIO(b"ann's image"))
    file_save("people/ann/b.jpg", io.BytesIO(b"another image"))
    with pytest.raises(FileExistsError):
        copy("people/ann/a.jpg", "people/ann/b.jpg")
    with open(_path("people/ann/b.jpg"), "rb") as kept:
        assert kept.read() == b"another image"


def test_a_local_copy_of_a_missing_file_is_a_file_not_found_error():
    with pytest.raises(FileNotFoundError):
        file_copy_checked("people/ann/gone.jpg", "QUARANTINE/people/ann/gone.jpg", FileDigest(1, "0" * 64))


def test_where_links_are_refused_a_local_copy_writes_the_bytes_again(monkeypatch):
    file_save("people/ann/a.jpg", io.BytesIO(b"ann's image"))

    def refused(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(media.storage.os, "link", refused)
    digest = file_digest("people/ann/a.jpg")
    assert file_copy_checked("people/ann/a.jpg", "QUARANTINE/people/ann/a.jpg", digest) == ""
    assert os.stat(_path("QUARANTINE/people/ann/a.jpg")).st_ino != os.stat(_path("people/ann/a.jpg")).st_ino
    # A copy of the bytes is read back: bytes other than those expected do not verify.
    other = FileDigest(size=digest.size, sha256="0" * 64)
    assert (
        file_copy_checked("people/ann/a.jpg", "QUARANTINE/people/ann/b.jpg", other)
        == f"sha256 {digest.sha256}"
    )


def test_a_local_listing_under_a_prefix_ending_inside_a_folder_name_lists_only_that_prefix():
    for key in ["people/al/x.jpg", "people/alice/a/y.jpg", "people/alice/z.jpg", "people/bob/w.jpg"]:
        file_save(key, io.BytesIO(key.encode()))
    listed = [(stored.key, stored.size) for stored in files_under("people/al")]
    assert listed == [("people/al/x.jpg", 15), ("people/alice/a/y.jpg", 20), ("people/alice/z.jpg", 18)]


# Names where the order of whole keys differs from the order of names within each folder, from a
# locale's order and from UTF-16's: "-" and "." sort before "/", capitals before small letters,
# "é" after "z", and a character beyond U+FFFF after U+FF5A (fullwidth "z").
TRICKY_KEYS = ["a-b/x", "a/x", "a.b", "A", "ab", "a/b/c", "a0", "\u00e9/x", "\uff5a", "\U0001f600/x", "Z/x"]


@pytest.mark.parametrize("folder_run", [listing.FOLDER_RUN, 3], ids=["in-memory", "in-runs-on-disk"])
def test_a_local_listing_gives_whole_keys_in_utf8_byte_order_however_names_compare(monkeypatch, folder_run):
    monkeypatch.setattr(listing, "FOLDER_RUN", folder_run)
    for key in TRICKY_KEYS:
        file_save(key, io.BytesIO(key.encode()))
    listed = [stored.key for stored in files_under("")]
    assert listed == sorted(TRICKY_KEYS, key=lambda key: key.encode())
    assert listed[:6] == ["A", "Z/x", "a-b/x", "a.b", "a/b/c", "a/x"]


def test_a_local_listing_leaves_out_links_to_folders_and_lists_links_to_files():
    file_save("people/ann/a.jpg", io.BytesIO(b"ann's image"))
    os.symlink(_path("people/ann"), _path("people/linked"))
    os.symlink(_path("people/ann/a.jpg"), _path("people/ann/b.jpg"))
    assert [(stored.key, stored.size) for stored in files_under("")] == [
        ("people/ann/a.jpg", 11),
        ("people/ann/b.jpg", 11),
    ]


def test_a_folders_sizes_are_its_listings_links_to_folders_left_out_and_a_missing_folder_empty():
    for key in ["people/ann/a.jpg", "people/ann/x/deeper.jpg", "people/ann/é 😀.jpg", "people/annie/no.jpg"]:
        file_save(key, io.BytesIO(key.encode()))
    os.symlink(_path("people/annie"), _path("people/ann/linked"))
    os.symlink(_path("people/ann/a.jpg"), _path("people/ann/b.jpg"))

    sizes = folder_files("people/ann/")

    assert sizes == {stored.key: stored.size for stored in files_under("people/ann/")}
    assert set(sizes) == {
        "people/ann/a.jpg",
        "people/ann/b.jpg",
        "people/ann/x/deeper.jpg",
        "people/ann/é 😀.jpg",
    }
    assert folder_files("people/nobody/") == {}
