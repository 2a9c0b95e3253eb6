"""The profile page's Images and Broadcast history sections, the header avatar, the activity
log, and the authenticated file view (local streaming, S3 pre-signed redirects)."""

import io
import re
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from media.models import MediaRecord, MediaSource
from media.selectors import broadcast_sessions
from media.services import media_create, media_soft_delete
from media.storage import file_delete
from tests.factories import AffiliateSnapshotFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def add(person, color=(10, 20, 30), source=MediaSource.UPLOAD, **options) -> MediaRecord:
    record, _ = media_create(
        person=person, source=source, content=io.BytesIO(image_bytes(color=color)), **options
    )
    return record


def section(client, person, key="images", query="", **headers) -> str:
    response = client.get(f"/profile/{person.username}/sections/{key}/{query}", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def gallery_ids(html: str) -> list[str]:
    return re.findall(r'<li class="gallery-item[^"]*" data-media-id="([0-9a-f-]+)"', html)


def test_the_images_section_shows_the_gallery_primary_first_with_counts(auth_client, person):
    older = add(person, (1, 1, 1), source=MediaSource.AFFILIATE_API)
    primary = add(person, (2, 2, 2), is_primary=True)
    newest = add(person, (3, 3, 3))
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'data-section="images"' in html
    assert gallery_ids(html) == [str(primary.id), str(newest.id), str(older.id)]
    assert "★ Primary" in html
    assert re.search(r'All <span class="count">3</span>', html)
    assert re.search(r'Upload <span class="count">2</span>', html)
    assert re.search(r'Affiliate API <span class="count">1</span>', html)
    assert 'name="file"' in html  # the upload form
    assert f'<img class="avatar" src="/media/{primary.id}/"' in html


def test_without_images_the_header_shows_initials_and_the_section_says_so(auth_client, person):
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'class="avatar tone-' in html
    assert "No images yet" in html


def test_an_empty_gallery_reads_its_counts_and_no_page(auth_client, person, django_assert_num_queries):
    section(auth_client, person)  # warm caches
    with django_assert_num_queries(4):  # session, user, person+profile, counts
        assert "No images yet" in section(auth_client, person)
    add(person)
    with django_assert_num_queries(5):  # and the page
        assert len(gallery_ids(section(auth_client, person))) == 1


def test_the_avatar_is_the_newest_image_when_none_is_primary(auth_client, person):
    add(person, (1, 1, 1))
    newest = add(person, (2, 2, 2))
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert f'<img class="avatar" src="/media/{newest.id}/"' in html


def test_a_refreshed_section_also_refreshes_the_header_avatar(auth_client, person):
    record = add(person)
    plain = section(auth_client, person)
    assert "hx-swap-oob" not in plain
    refreshed = section(auth_client, person, HX_Request="true")
    assert 'id="profile-avatar" hx-swap-oob="innerHTML"' in refreshed
    assert f'src="/media/{record.id}/"' in refreshed


def test_source_tabs_pages_and_the_deleted_tab(auth_client, person, django_assert_num_queries):
    for n in range(27):
        add(person, (n * 9, 0, 0))
    api_image = add(person, (0, 99, 0), source=MediaSource.AFFILIATE_API)
    gone = add(person, (0, 0, 99))
    media_soft_delete(record=gone)
    with django_assert_num_queries(5):
        first = section(auth_client, person)
    assert len(gallery_ids(first)) == 24
    assert "Page 1 of 2" in first
    assert len(gallery_ids(section(auth_client, person, query="?page=2"))) == 4
    assert gallery_ids(section(auth_client, person, query="?source=affiliate_api")) == [str(api_image.id)]
    deleted = section(auth_client, person, query="?source=deleted")
    assert gallery_ids(deleted) == [str(gone.id)]
    assert "Restore" in deleted
    assert re.search(r'Deleted <span class="count">1</span>', first)
    bogus = section(auth_client, person, query="?source=bogus&page=x")
    assert len(gallery_ids(bogus)) == 24
    assert "The source filter was ignored: “bogus” is not one of its choices." in bogus
    assert "ignored" not in first


def test_the_media_sections_stay_within_a_flat_number_of_queries(
    auth_client, person, django_assert_num_queries
):
    for n in range(30):
        add(person, (n * 8, 5, 5), is_primary=n == 3)
    AffiliateSnapshotFactory.create_batch(40, person=person)
    # session, user and person, then: counts by source and the gallery page; the snapshots and
    # the live screenshots taken during their sessions.
    with django_assert_num_queries(5):
        assert auth_client.get(f"/profile/{person.username}/sections/images/").status_code == 200
    with django_assert_num_queries(5):
        assert auth_client.get(f"/profile/{person.username}/sections/broadcast-history/").status_code == 200


def test_the_file_view_streams_local_files_to_the_owner_only(auth_client, person):
    data = image_bytes(image_format="PNG")
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(data))
    response = auth_client.get(f"/media/{record.id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == data
    anonymous = Client().get(f"/media/{record.id}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")


def test_the_file_view_is_a_404_for_unknown_ids_missing_files_and_paths(auth_client, person):
    record = add(person)
    file_delete(record.file_path)
    assert auth_client.get(f"/media/{record.id}/").status_code == 404
    assert auth_client.get("/media/not-an-id/").status_code == 404
    assert auth_client.get("/media/..%2F..%2Fetc%2Fpasswd/").status_code == 404


@pytest.mark.s3
def test_on_s3_the_file_view_redirects_to_a_short_lived_signed_url(s3_storage, auth_client, person, settings):
    data = image_bytes()
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(data))
    response = auth_client.get(f"/media/{record.id}/")
    assert response.status_code == 302
    location = response["Location"]
    assert "X-Amz-Signature" in location
    assert f"X-Amz-Expires={settings.S3_URL_EXPIRY_SECONDS}" in location
    assert "private" in response["Cache-Control"]
    with urllib.request.urlopen(location, timeout=10) as signed:
        assert signed.read() == data
    unsigned = location.split("?")[0]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(unsigned, timeout=10)


def snapshot(person, at, **fields):
    return AffiliateSnapshotFactory(person=person, observed_at=at, **fields)


def test_broadcast_sessions_come_from_consecutive_snapshots(person, settings):
    settings.BROADCAST_SESSION_GAP_MINUTES = 30
    start = timezone.now() - timedelta(days=2)
    # Session 1: three snapshots five minutes apart, online for 10 minutes when first seen.
    for i, viewers in enumerate([100, 250, 180]):
        snapshot(person, start + timedelta(minutes=5 * i), num_users=viewers, seconds_online=600 + 300 * i)
    # Session 2, a day later; session 3 right after it, because the room restarted.
    later = start + timedelta(days=1)
    snapshot(person, later, num_users=40, seconds_online=60, room_subject="first show")
    snapshot(
        person, later + timedelta(minutes=5), num_users=45, seconds_online=360, room_subject="first show"
    )
    snapshot(person, later + timedelta(minutes=10), num_users=90, seconds_online=30, room_subject="again!")
    newest, middle, oldest = broadcast_sessions(person)
    assert (oldest.started_at, oldest.ended_at) == (
        start - timedelta(minutes=10),
        start + timedelta(minutes=10),
    )
    assert (oldest.peak_viewers, oldest.snapshots) == (250, 3)
    assert (middle.peak_viewers, middle.subject, middle.snapshots) == (45, "first show", 2)
    assert (newest.peak_viewers, newest.subject, newest.snapshots) == (90, "again!", 1)


def test_the_broadcast_history_section_lists_sessions_newest_first(
    auth_client, person, django_assert_num_queries
):
    now = timezone.now()
    image = add(person, source=MediaSource.AFFILIATE_API)
    snapshot(person, now - timedelta(days=3), num_users=1234, room_subject="old show", seconds_online=0)
    snapshot(person, now - timedelta(hours=1), num_users=77, room_subject="new show", media_locator=image)
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'data-section="broadcast-history"' in html
    assert "new show" not in html  # closed by default: loaded when opened
    with django_assert_num_queries(5):
        body = section(auth_client, person, key="broadcast-history")
    assert body.index("new show") < body.index("old show")
    assert "1,234" in body
    assert f'src="/media/{image.id}/"' in body
    assert "10 min" in body  # online for 600 s when seen


def test_the_activity_log_shows_images_added(auth_client, person):
    add(person, (1, 1, 1), original_filename="beach.jpg")
    for n in range(3):
        add(person, (n * 60, 50, 50), source=MediaSource.AFFILIATE_API)
    body = section(auth_client, person, key="activity")
    assert f"Image added (Upload) on {person.username}: beach.jpg" in body
    assert body.count("Image added (Affiliate API)") == 3
