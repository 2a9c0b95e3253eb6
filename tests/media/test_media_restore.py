"""Restoring files from the quarantine: to their soft-deleted record, or as a new record of an
orphan; through the command and the admin's Quarantine screen, on local storage and S3."""

import io

import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from media.keys import quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.services import media_create, media_soft_delete
from media.storage import file_digest, file_exists, file_save
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def _deleted(person, color=(10, 20, 30)) -> MediaRecord:
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color)))
    return media_soft_delete(record=record)


def _orphan(person, color=(90, 10, 200)) -> tuple[str, bytes]:
    content = image_bytes(color)
    key = quarantine_key(f"people/{person.username}/upload/{person.username}_1700000000_abcdef12.jpg")
    key = key.replace("QUARANTINE/", "QUARANTINE/orphans/", 1)
    file_save(key, io.BytesIO(content))
    return key, content


def test_a_deleted_records_file_comes_back_with_its_record_and_the_move_is_journalled(person):
    record = _deleted(person)
    key = quarantine_key(record.file_path)
    call_command("media_restore", key, "--apply")
    record.refresh_from_db()
    assert record.deleted_at is None
    assert file_exists(record.file_path)
    assert not file_exists(key)
    assert MediaMove.objects.filter(source_key=key, target_key=record.file_path, state="done").exists()
    event = Event.objects.get(kind="media.restored")  # one, by media_restore
    assert event.person_id == person.pk
    assert event.subject_id == str(record.pk)


def test_an_orphan_comes_back_as_a_new_record_of_the_person_its_key_names(person):
    key, content = _orphan(person)
    call_command("media_restore", key, "--apply")
    record = MediaRecord.objects.get(person=person)
    assert record.file_path == f"people/{person.username}/upload/{person.username}_1700000000_abcdef12.jpg"
    digest = file_digest(record.file_path)
    assert (record.sha256, record.size_bytes) == (digest.sha256, len(content))
    assert not file_exists(key)
    assert MediaMove.objects.get(source_key=key).state == "done"
    assert Event.objects.get(kind="media.restored").data["registered"] is True


def test_a_dry_run_says_what_would_happen_and_moves_nothing(person, capsys):
    key, _ = _orphan(person)
    call_command("media_restore", key)
    assert "would register" in capsys.readouterr().out
    assert file_exists(key)
    assert not MediaRecord.objects.exists()
    assert not Event.objects.filter(kind="media.restored").exists()


def test_a_file_the_person_has_already_stays_in_quarantine(person):
    key, content = _orphan(person)
    media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(content))
    with pytest.raises(CommandError, match="could not be restored"):
        call_command("media_restore", key, "--apply")
    assert file_exists(key)
    assert MediaRecord.objects.count() == 1


def test_keys_outside_the_quarantine_or_without_a_person_are_refused(person, capsys):
    with pytest.raises(CommandError):
        call_command("media_restore", "people/x/upload/x_1_ab.jpg", "QUARANTINE/notes.txt", "--apply")
    err = capsys.readouterr().err
    assert "is not in the quarantine" in err
    assert "is not a quarantined image of a person's folder" in err


def test_the_admin_lists_the_quarantine_and_restores_the_files_ticked(auth_client, person):
    record = _deleted(person)
    orphan, _ = _orphan(person)
    page = auth_client.get("/admin/media/mediarecord/quarantine/")
    assert page.status_code == 200
    body = page.content.decode()
    assert quarantine_key(record.file_path) in body
    assert "its soft-deleted record" in body
    assert "a new record (orphan)" in body
    response = auth_client.post(
        "/admin/media/mediarecord/quarantine/",
        {"keys": [quarantine_key(record.file_path), orphan]},
        follow=True,
    )
    assert response.status_code == 200
    assert "The quarantine is empty." in response.content.decode()
    assert MediaRecord.objects.live().count() == 2


@pytest.mark.s3
def test_restoring_works_the_same_on_s3(s3_storage, person):
    record = _deleted(person)
    key = quarantine_key(record.file_path)
    assert key.startswith("mhc/media/QUARANTINE/")
    call_command("media_restore", key, "--apply")
    record.refresh_from_db()
    assert record.deleted_at is None
    assert file_exists(record.file_path)
    assert not file_exists(key)
