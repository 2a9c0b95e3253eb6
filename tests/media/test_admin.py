"""The media admin screens: lists, read-only integrity fields, and actions through the services."""

import io

import pytest

from media.keys import quarantine_key
from media.models import MediaJob, MediaRecord, MediaSource
from media.services import media_create, media_soft_delete
from media.storage import file_exists
from tests.factories import AffiliateSnapshotFactory, PersonFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def add(person, color=(10, 20, 30)) -> MediaRecord:
    record, _ = media_create(
        person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color=color))
    )
    return record


def test_every_media_admin_list_opens(auth_client, person, django_assert_num_queries):
    for n in range(15):
        add(PersonFactory(), (n * 15, 0, 0))
    record = add(person)
    AffiliateSnapshotFactory.create_batch(5, person=person, media_locator=record)
    media_soft_delete(record=add(person, (0, 200, 0)))
    with django_assert_num_queries(8):
        assert auth_client.get("/admin/media/mediarecord/").status_code == 200
    for model in ("affiliatesnapshot", "mediajob", "mediamove", "placeholderhash"):
        assert auth_client.get(f"/admin/media/{model}/").status_code == 200, model
    assert auth_client.get("/admin/media/mediarecord/?state=deleted").status_code == 200


def test_records_are_found_by_username_or_sha256_and_their_integrity_fields_are_read_only(
    auth_client, person
):
    record = add(person)
    add(PersonFactory(username="someone_else"), (90, 90, 90))
    html = auth_client.get(f"/admin/media/mediarecord/?q={record.sha256}").content.decode()
    assert "1 result" in html
    assert "someone_else" in auth_client.get("/admin/media/mediarecord/?q=someone_else").content.decode()
    change = auth_client.get(f"/admin/media/mediarecord/{record.pk}/change/").content.decode()
    assert record.sha256 in change
    assert 'name="sha256"' not in change
    assert 'name="file_path"' not in change
    assert auth_client.get("/admin/media/mediarecord/add/").status_code == 403


def test_the_delete_action_quarantines_through_the_service(auth_client, person):
    record = add(person)
    response = auth_client.post(
        "/admin/media/mediarecord/", {"action": "soft_delete", "_selected_action": [record.pk]}, follow=True
    )
    assert "Deleted: 1." in response.content.decode()
    record.refresh_from_db()
    assert record.is_deleted
    assert file_exists(quarantine_key(record.file_path))


def test_removing_for_good_is_only_offered_for_deleted_records(
    auth_client, person, django_capture_on_commit_callbacks
):
    live = add(person)
    assert auth_client.get(f"/admin/media/mediarecord/{live.pk}/delete/").status_code == 403
    gone = add(person, (0, 0, 200))
    media_soft_delete(record=gone)
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(f"/admin/media/mediarecord/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not MediaRecord.objects.filter(pk=gone.pk).exists()
    assert not file_exists(quarantine_key(gone.file_path))
    assert MediaRecord.objects.filter(pk=live.pk).exists()


def test_jobs_are_stopped_and_started_from_the_admin(auth_client):
    ids = list(MediaJob.objects.values_list("pk", flat=True))
    response = auth_client.post(
        "/admin/media/mediajob/", {"action": "stop_jobs", "_selected_action": ids}, follow=True
    )
    assert "Stopped, and verified idle" in response.content.decode()
    assert set(MediaJob.objects.values_list("state", flat=True)) == {"stopped"}
    auth_client.post("/admin/media/mediajob/", {"action": "start_jobs", "_selected_action": ids[:1]})
    assert MediaJob.objects.get(pk=ids[0]).state == "started"
