"""The media API: list, upload, read, primary, soft delete and restore, with JSON errors."""

import hashlib
import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media.keys import quarantine_key
from media.models import MediaRecord, MediaSource
from media.services import media_create, media_soft_delete
from media.storage import file_digest, file_exists, file_save
from tests.factories import PersonFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def add(person, color=(10, 20, 30), source=MediaSource.UPLOAD, **options) -> MediaRecord:
    record, _ = media_create(
        person=person, source=source, content=io.BytesIO(image_bytes(color=color)), **options
    )
    return record


def upload(client, username, data: bytes, name="photo.jpg", **fields):
    return client.post(
        f"/api/profile/{username}/media",
        {"file": SimpleUploadedFile(name, data, content_type="image/jpeg"), **fields},
        format="multipart",
    )


def test_listing_a_persons_images_primary_first_and_by_source(api_client, person, django_assert_num_queries):
    older = add(person, (1, 1, 1), source=MediaSource.AFFILIATE_API)
    primary = add(person, (2, 2, 2), is_primary=True)
    newest = add(person, (3, 3, 3))
    for n in range(20):
        add(PersonFactory(), (n * 9, 9, 9))  # other people's images are not listed
    # session, user, person, count, page
    with django_assert_num_queries(5):
        response = api_client.get(f"/api/profile/{person.username}/media")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [str(primary.id), str(newest.id), str(older.id)]
    assert body["results"][0]["url"] == f"/media/{primary.id}/"
    assert body["results"][0]["username"] == person.username
    only_api = api_client.get(f"/api/profile/{person.username}/media?source=affiliate_api").json()
    assert [item["id"] for item in only_api["results"]] == [str(older.id)]


def test_listing_rejects_an_unknown_source_and_an_unknown_person(api_client, person):
    response = api_client.get(f"/api/profile/{person.username}/media?source=instagram")
    assert response.status_code == 400
    assert "source" in response.json()["errors"]
    assert api_client.get("/api/profile/nobody_here/media").status_code == 404


def test_uploading_an_image_stores_it_as_an_upload(api_client, person):
    data = image_bytes(size=(120, 80), image_format="PNG")
    response = upload(api_client, person.username, data, name="beach.png", is_primary="on")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["source"], body["original_filename"], body["mime_type"]) == (
        "upload",
        "beach.png",
        "image/png",
    )
    assert (body["width"], body["height"], body["size_bytes"], body["is_primary"]) == (
        120,
        80,
        len(data),
        True,
    )
    record = MediaRecord.objects.get(pk=body["id"])
    assert file_exists(record.file_path)
    assert f"people/{person.username}/upload/" in record.file_path


def test_uploading_the_same_image_twice_answers_200_with_the_first_record(api_client, person):
    data = image_bytes()
    first = upload(api_client, person.username, data).json()
    again = upload(api_client, person.username, data, name="copy.jpg")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert MediaRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"GIF89a but not really", "not an image"), (b"%PDF-1.4 ...", "not an image")],
)
def test_uploading_something_that_is_not_an_image_is_a_400_naming_the_file(api_client, person, data, message):
    response = upload(api_client, person.username, data, name="x.jpg")
    assert response.status_code == 400
    assert message in response.json()["errors"]["file"][0]
    assert not MediaRecord.objects.exists()


def test_uploading_too_large_or_nothing_is_a_400(api_client, person, settings):
    settings.MEDIA_MAX_IMAGE_BYTES = 100
    assert "larger than 100 bytes" in upload(api_client, person.username, image_bytes()).json()["detail"]
    response = api_client.post(f"/api/profile/{person.username}/media", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    response = api_client.post(f"/api/profile/{person.username}/media", {"file": "text"}, format="json")
    assert response.status_code == 400


def test_reading_one_image_and_unknown_ids_are_json_404s(api_client, person):
    record = add(person)
    assert api_client.get(f"/api/media/{record.id}").json()["sha256"] == record.sha256
    for missing in (uuid.uuid4(), "not-a-uuid"):
        response = api_client.get(f"/api/media/{missing}")
        assert response.status_code == 404
        assert response.json()["detail"]
    assert api_client.delete(f"/api/media/{uuid.uuid4()}").status_code == 404


def test_setting_the_primary_image_by_post_or_patch(api_client, person):
    first, second = add(person, (1, 1, 1), is_primary=True), add(person, (2, 2, 2))
    response = api_client.post(f"/api/media/{second.id}/primary")
    assert response.status_code == 200
    assert response.json()["is_primary"] is True
    first.refresh_from_db()
    assert not first.is_primary
    assert api_client.patch(f"/api/media/{first.id}", {"is_primary": True}, format="json").json()[
        "is_primary"
    ]
    second.refresh_from_db()
    assert not second.is_primary
    assert (
        api_client.patch(f"/api/media/{first.id}", {"is_primary": False}, format="json").json()["is_primary"]
        is False
    )
    assert (
        api_client.patch(f"/api/media/{first.id}", {"is_primary": "maybe"}, format="json").status_code == 400
    )
    assert api_client.patch(f"/api/media/{first.id}", {}, format="json").status_code == 400


def test_deleting_moves_the_file_to_quarantine_and_restore_brings_it_back(api_client, person):
    record = add(person, is_primary=True)
    response = api_client.delete(f"/api/media/{record.id}")
    assert response.status_code == 204
    assert file_exists(quarantine_key(record.file_path))
    assert api_client.get(f"/api/profile/{person.username}/media").json()["count"] == 0
    deleted = api_client.get(f"/api/profile/{person.username}/media?state=deleted").json()
    assert [item["id"] for item in deleted["results"]] == [str(record.id)]
    assert deleted["results"][0]["deleted_at"]
    assert api_client.delete(f"/api/media/{record.id}").status_code == 409
    assert api_client.post(f"/api/media/{record.id}/primary").status_code == 409
    response = api_client.post(f"/api/media/{record.id}/restore")
    assert response.status_code == 200
    assert response.json()["deleted_at"] is None
    assert file_exists(record.file_path)
    assert api_client.post(f"/api/media/{record.id}/restore").json()["detail"] == "This image is not deleted."


def test_a_delete_whose_file_cannot_be_moved_is_a_409_saying_why_and_keeps_the_image(api_client, person):
    record = add(person)
    file_save(quarantine_key(record.file_path), io.BytesIO(b"another file entirely"))

    response = api_client.delete(f"/api/media/{record.id}")

    assert response.status_code == 409
    assert "A different file is already at" in response.json()["detail"]
    record.refresh_from_db()
    assert not record.is_deleted
    assert file_digest(record.file_path).sha256 == record.sha256


def test_scripts_use_the_api_with_a_token_and_strangers_get_401(token_client, client, person):
    record = add(person)
    assert token_client.get(f"/api/media/{record.id}").status_code == 200
    assert upload(token_client, person.username, image_bytes(color=(5, 5, 5))).status_code == 201
    assert client.get(f"/api/media/{record.id}").status_code in (401, 403)
    assert client.delete(f"/api/media/{record.id}").status_code in (401, 403)
    record.refresh_from_db()
    assert not record.is_deleted


def test_the_schema_documents_every_media_path(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/profile/{username}/media"])
    assert {"get", "patch", "delete"} <= set(paths["/api/media/{media_id}"])
    assert "post" in paths["/api/media/{media_id}/primary"]
    assert "post" in paths["/api/media/{media_id}/restore"]
    upload_body = paths["/api/profile/{username}/media"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body


def test_the_schema_lists_the_media_filters_on_the_list_only(api_client):
    media = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"][
        "/api/profile/{username}/media"
    ]
    query = {
        method: {p["name"] for p in media[method]["parameters"] if p["in"] == "query"} for method in media
    }
    assert {"source", "state"} <= query["get"]
    assert query["post"] == set()


def test_a_soft_deleted_images_file_still_opens_for_the_owner(auth_client, person):
    record = add(person)
    media_soft_delete(record=record)
    response = auth_client.get(f"/media/{record.id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_large_upload_spooled_to_disk_is_stored_intact(api_client, person, settings):
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1100, 1000), os.urandom(1100 * 1000 * 3)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE  # Django hands it over as a temporary file
    response = upload(api_client, person.username, data, name="big.png")
    assert response.status_code == 201
    record = MediaRecord.objects.get()
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert file_digest(record.file_path).sha256 == record.sha256


def test_listing_rejects_an_unknown_state_and_takes_an_empty_one_as_live(api_client, person):
    add(person)
    response = api_client.get(f"/api/profile/{person.username}/media?state=gone")
    assert response.status_code == 400
    assert "State must be live or deleted." in response.json()["errors"]["state"]
    assert api_client.get(f"/api/profile/{person.username}/media?state=&source=").json()["count"] == 1
