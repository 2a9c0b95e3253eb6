"""The media services on local storage and on S3: keys, SHA-256, the primary rule, soft delete
to quarantine with a verified copy, restore and hard delete."""

import hashlib
import io
import re

import pytest
from django.db import IntegrityError, transaction

from media.keys import media_prefix, people_prefix, quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.selectors import avatar_media, media_file_key, media_for_person, media_with_sha256, primary_media
from media.services import (
    MediaRejected,
    MoveError,
    images,
    media_create,
    media_hard_delete,
    media_restore,
    media_set_primary,
    media_soft_delete,
)
from media.storage import file_delete, file_digest, file_exists, file_open, files_under
from mhc.exceptions import Conflict
from tests.factories import PersonFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def store(person, data: bytes, *, source=MediaSource.UPLOAD, **options) -> MediaRecord:
    record, _ = media_create(person=person, source=source, content=io.BytesIO(data), **options)
    return record


def read(key: str) -> bytes:
    with file_open(key) as handle:
        return handle.read()


def stored_keys() -> list[str]:
    return sorted(stored.key for stored in files_under(media_prefix()))


def test_a_stored_image_gets_its_key_hash_size_type_and_dimensions(storage_kind, person):
    data = image_bytes(size=(64, 40), image_format="PNG")
    record = store(person, data, original_filename="me.png")
    sha = hashlib.sha256(data).hexdigest()
    prefix = "mhc/media/" if storage_kind == "s3" else ""
    assert re.fullmatch(
        rf"{prefix}people/{person.username}/upload/{person.username}_\d{{10}}_{sha[:8]}\.png",
        record.file_path,
    )
    assert (record.sha256, record.size_bytes) == (sha, len(data))
    assert (record.mime_type, record.width, record.height) == ("image/png", 64, 40)
    assert record.original_filename == "me.png"
    assert read(record.file_path) == data
    assert file_digest(record.file_path).sha256 == sha


def test_the_same_bytes_for_the_same_person_are_stored_once(storage_kind, person):
    data = image_bytes()
    first, created = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(data))
    again, created_again = media_create(
        person=person, source=MediaSource.AFFILIATE_API, content=io.BytesIO(data)
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert stored_keys() == [first.file_path]


def test_the_same_bytes_for_two_people_are_two_records(storage_kind, person):
    data = image_bytes()
    other = PersonFactory()
    mine, theirs = store(person, data), store(other, data)
    assert mine.pk != theirs.pk
    assert [r.person for r in media_with_sha256(mine.sha256)] == [person, other]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html>not an image</html>", "not_image"),
        (image_bytes()[:-200], "not_image"),
        (b"", "empty"),
    ],
    ids=["html", "truncated-jpeg", "empty"],
)
def test_bytes_that_are_not_a_complete_image_are_refused_and_nothing_is_stored(person, data, code):
    with pytest.raises(MediaRejected) as rejected:
        store(person, data)
    assert rejected.value.code == code
    assert not MediaRecord.objects.exists()
    assert stored_keys() == []


def test_an_image_over_the_size_limit_is_refused(person, settings):
    data = image_bytes(size=(300, 300))
    settings.MEDIA_MAX_IMAGE_BYTES = len(data) - 1
    with pytest.raises(MediaRejected, match="larger than"):
        store(person, data)
    assert stored_keys() == []


def test_a_bmp_is_an_image_but_not_an_accepted_format(person):
    with pytest.raises(MediaRejected) as rejected:
        store(person, image_bytes(image_format="BMP"))
    assert rejected.value.code == "format"


def test_setting_a_primary_image_clears_the_previous_one(storage_kind, person):
    first = store(person, image_bytes(color=(1, 2, 3)), is_primary=True)
    second = store(person, image_bytes(color=(200, 2, 3)))
    assert primary_media(person) == first
    media_set_primary(record=second)
    first.refresh_from_db()
    assert not first.is_primary
    assert primary_media(person) == second
    assert list(media_for_person(person)) == [second, first]  # primary first


def test_the_database_refuses_two_live_primaries_for_one_person(person):
    first = store(person, image_bytes(color=(1, 2, 3)), is_primary=True)
    second = store(person, image_bytes(color=(9, 2, 3)))
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaRecord.objects.filter(pk=second.pk).update(is_primary=True)
    assert primary_media(person) == first


def test_the_avatar_is_the_primary_image_else_the_newest(person):
    older = store(person, image_bytes(color=(1, 2, 3)))
    newer = store(person, image_bytes(color=(9, 2, 3)))
    assert avatar_media(person) == newer
    media_set_primary(record=older)
    assert avatar_media(person) == older


def test_soft_delete_moves_the_file_to_quarantine_after_verifying_the_copy(storage_kind, person):
    data = image_bytes()
    record = store(person, data, is_primary=True)
    original = record.file_path
    media_soft_delete(record=record)
    record.refresh_from_db()
    assert record.deleted_at is not None
    assert not record.is_primary
    assert not file_exists(original)
    quarantined = quarantine_key(original)
    assert quarantined.startswith(f"{media_prefix()}QUARANTINE/people/{person.username}/")
    assert read(quarantined) == data
    assert media_file_key(record) == quarantined
    move = MediaMove.objects.get(record=record)
    assert (move.state, move.sha256, move.size_bytes) == ("done", record.sha256, len(data))
    assert list(media_for_person(person)) == []
    with pytest.raises(Conflict, match="already deleted"):
        media_soft_delete(record=record)


def test_a_copy_that_does_not_verify_leaves_the_original_and_the_record_alone(person, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.faulty_storage.CorruptingCopyStorage",
            "OPTIONS": {"location": str(tmp_path / "faulty")},
        },
    }
    data = image_bytes()
    record = store(person, data)
    with pytest.raises(MoveError, match="did not verify"):
        media_soft_delete(record=record)
    record.refresh_from_db()
    assert record.deleted_at is None
    assert read(record.file_path) == data
    assert not file_exists(quarantine_key(record.file_path))  # the bad copy was removed
    move = MediaMove.objects.get(record=record)
    assert move.state == "rolled_back"
    assert "did not verify" in move.error


def test_restore_brings_the_record_and_its_file_back(storage_kind, person):
    data = image_bytes()
    record = store(person, data)
    media_soft_delete(record=record)
    media_restore(record=record)
    record.refresh_from_db()
    assert record.deleted_at is None
    assert read(record.file_path) == data
    assert not file_exists(quarantine_key(record.file_path))
    assert list(media_for_person(person)) == [record]
    assert [m.reason for m in MediaMove.objects.order_by("created_at")] == ["soft-delete", "restore"]


def test_restore_is_refused_when_the_same_image_is_live_again(person):
    data = image_bytes()
    record = store(person, data)
    media_soft_delete(record=record)
    store(person, data)  # downloaded again after the delete
    with pytest.raises(Conflict, match="already in this person's gallery"):
        media_restore(record=record)
    with pytest.raises(Conflict, match="not deleted"):
        media_restore(record=MediaRecord.objects.live().get())


def test_restore_is_refused_when_the_file_is_gone(person):
    record = store(person, image_bytes())
    media_soft_delete(record=record)
    file_delete(quarantine_key(record.file_path))
    with pytest.raises(Conflict, match="missing"):
        media_restore(record=record)
    record.refresh_from_db()
    assert record.is_deleted


def test_hard_delete_is_only_for_deleted_images_and_removes_the_quarantined_file(
    storage_kind, person, django_capture_on_commit_callbacks
):
    record = store(person, image_bytes())
    with pytest.raises(Conflict, match="delete it first"):
        media_hard_delete(record=record)
    media_soft_delete(record=record)
    with django_capture_on_commit_callbacks(execute=True):
        media_hard_delete(record=record)
    assert not MediaRecord.objects.filter(pk=record.pk).exists()
    assert stored_keys() == []


def test_files_under_lists_people_files_without_quarantine(storage_kind, person):
    kept = store(person, image_bytes(color=(1, 1, 1)))
    gone = store(person, image_bytes(color=(250, 1, 1)))
    media_soft_delete(record=gone)
    listed = list(files_under(people_prefix()))
    assert [f.key for f in listed] == [kept.file_path]
    assert listed[0].size == kept.size_bytes
    assert listed[0].modified_at is not None
    everything = {f.key for f in files_under(media_prefix())}
    assert everything == {kept.file_path, quarantine_key(gone.file_path)}
    assert {f.key for f in files_under(media_prefix(), exclude=[media_prefix() + "QUARANTINE/"])} == {
        kept.file_path
    }


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(person, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 48 * 36 - 1)
    with pytest.raises(MediaRejected, match="pixels"):
        store(person, image_bytes(size=(48, 36)))
