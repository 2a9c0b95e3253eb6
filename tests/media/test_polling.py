"""The media-creating jobs end to end: `manage.py run_jobs --once` against a local HTTP server
serving the affiliate feed, room images and profile pages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from media.affiliate import affiliate_poll
from media.models import AffiliateSnapshot, MediaJob, MediaRecord
from media.services import jobs_stop
from media.storage import file_exists
from profiles.models import Person
from tests.factories import PersonFactory, ProfileFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def room(username: str, image_url: str = "", **fields) -> dict:
    return {
        "username": username,
        "display_name": username.title(),
        "room_subject": f"{username} live #goal",
        "num_users": 150,
        "num_followers": 9000,
        "tags": ["goal", "muscle"],
        "is_hd": True,
        "age": 30,
        "location": "Berlin",
        "current_show": "public",
        "seconds_online": 1200,
        "image_url_360x270": image_url,
        "chat_room_url": f"https://example.com/{username}/",
        **fields,
    }


def run_jobs(*args) -> str:
    out = StringIO()
    call_command("run_jobs", "--once", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tracked():
    return {name: ProfileFactory(person=PersonFactory(username=name)).person for name in ("alex", "bob")}


@pytest.fixture
def feed(http_server, settings):
    """Serve a feed of rooms; returns a function taking the rooms."""

    def serve(rooms, path="/affiliates/onlinerooms/"):
        settings.AFFILIATE_API_URL = http_server.serve(
            path, json.dumps(rooms).encode(), content_type="application/json"
        )
        return settings.AFFILIATE_API_URL

    return serve


def test_polling_records_tracked_rooms_and_downloads_their_images(storage_kind, http_server, feed, tracked):
    PersonFactory(username="seen_viewer")  # known, but not tracked (no profile)
    alex_image = http_server.serve_image("/ri/alex.jpg", size=(360, 270))
    feed(
        [
            room("alex", alex_image, num_users=321),
            room("bob", http_server.serve_image("/images/no_image.jpg")),
            room("stranger", http_server.serve_image("/ri/stranger.jpg")),
            room("seen_viewer", http_server.serve_image("/ri/seen_viewer.jpg")),
        ]
    )
    out = run_jobs("--job", "affiliate-polling")
    assert (
        "affiliate-polling: 4 rooms online, 2 snapshots recorded, 1 images linked, 1 placeholders skipped"
        in out
    )
    alex_snapshot = AffiliateSnapshot.objects.get(person__username="alex")
    assert (alex_snapshot.num_users, alex_snapshot.room_subject, alex_snapshot.tags) == (
        321,
        "alex live #goal",
        ["goal", "muscle"],
    )
    assert alex_snapshot.image_url_360x270 == alex_image
    image = alex_snapshot.media_locator
    assert (image.source, image.source_url, image.width, image.height) == (
        "affiliate_api",
        alex_image,
        360,
        270,
    )
    assert file_exists(image.file_path)
    assert f"people/alex/affiliate_api/alex_{int(alex_snapshot.observed_at.timestamp())}_" in image.file_path
    assert AffiliateSnapshot.objects.get(person__username="bob").media_locator is None
    assert not Person.objects.filter(username="stranger").exists()
    assert not AffiliateSnapshot.objects.filter(person__username="seen_viewer").exists()
    assert "/ri/stranger.jpg" not in http_server.requests
    tracked["alex"].refresh_from_db()
    assert tracked["alex"].last_seen_at == alex_snapshot.observed_at


def test_polling_every_room_creates_the_people_it_has_not_seen(http_server, feed, settings):
    settings.AFFILIATE_POLL_ALL_ROOMS = True
    feed({"count": 1, "results": [room("stranger", http_server.serve_image("/ri/stranger.jpg"))]})
    run_jobs()
    stranger = Person.objects.get(username="stranger")
    assert stranger.role == "model"
    assert stranger.affiliate_snapshots.get().media_locator.source == "affiliate_api"


def test_an_unchanged_room_image_is_linked_again_not_stored_twice(http_server, feed, tracked):
    feed([room("alex", http_server.serve_image("/ri/alex.jpg"))])
    run_jobs()
    run_jobs()
    first, second = AffiliateSnapshot.objects.order_by("observed_at")
    assert first.media_locator_id == second.media_locator_id
    assert MediaRecord.objects.count() == 1


def test_a_stopped_job_polls_nothing(http_server, feed, tracked):
    feed([room("alex", http_server.serve_image("/ri/alex.jpg"))])
    jobs_stop(names=["affiliate-polling"])
    out = run_jobs("--job", "affiliate-polling")
    assert "affiliate-polling: stopped, so nothing was done" in out
    assert http_server.requests == []
    assert not AffiliateSnapshot.objects.exists()


def test_a_stop_during_a_cycle_takes_effect_before_the_next_room(http_server, feed, tracked):
    feed(
        [
            room("alex", http_server.serve_image("/ri/alex.jpg")),
            room("bob", http_server.serve_image("/ri/bob.jpg")),
        ]
    )
    units = []

    def keep_going() -> bool:
        units.append(len(units))
        if len(units) == 2:  # the owner runs `media_jobs stop` once alex's room is done
            jobs_stop(names=["affiliate-polling"])
        return True

    report = affiliate_poll(keep_going=keep_going)
    assert report.stopped
    assert list(AffiliateSnapshot.objects.values_list("person__username", flat=True)) == ["alex"]
    assert MediaJob.objects.get(name="affiliate-polling").working_since is None


def test_rooms_without_a_valid_username_are_skipped(http_server, feed, tracked):
    feed([room("alex"), {"username": "Bad Name!"}, "not a room", room("bob", num_users="many", age=7)])
    report = affiliate_poll()
    assert (report.rooms, report.invalid_rooms, report.snapshots) == (2, 2, 2)
    bob = AffiliateSnapshot.objects.get(person__username="bob")
    assert (bob.num_users, bob.age) == (None, None)


def test_a_feed_that_cannot_be_read_fails_the_run_and_is_recorded(http_server, settings, tracked):
    settings.AFFILIATE_API_URL = http_server.serve(
        "/feed", b"<html>maintenance</html>", content_type="text/html"
    )
    with pytest.raises(CommandError, match="1 job cycle"):
        run_jobs("--job", "affiliate-polling")
    assert "did not answer with JSON" in MediaJob.objects.get(name="affiliate-polling").last_error


def test_jobs_without_their_address_are_not_run(settings):
    settings.AFFILIATE_API_URL = ""
    settings.PROFILE_CAPTURE_URL = ""
    out = run_jobs()
    assert "affiliate-polling: not run (AFFILIATE_API_URL is not set)" in out
    assert "profile-capture: not run (PROFILE_CAPTURE_URL is not set)" in out


def profile_page(image: str | None) -> bytes:
    meta = f'<meta property="og:image" content="{image}">' if image else ""
    return f"<!doctype html><html><head><title>x</title>{meta}</head><body>Bio</body></html>".encode()


def test_profile_capture_keeps_each_profiles_picture_once(storage_kind, http_server, settings, tracked):
    http_server.serve_image("/pics/alex.png", image_format="PNG")
    http_server.serve("/profile/alex/", profile_page("/pics/alex.png"), content_type="text/html")
    http_server.serve("/profile/bob/", profile_page(None), content_type="text/html")
    settings.PROFILE_CAPTURE_URL = http_server.base_url + "/profile/{username}/"
    out = run_jobs("--job", "profile-capture")
    assert "2 profiles visited, 1 images captured, 0 already kept, 1 without a picture, 0 errors" in out
    record = MediaRecord.objects.get()
    assert (record.person.username, record.source, record.mime_type) == ("alex", "profile", "image/png")
    assert record.source_url == http_server.base_url + "/pics/alex.png"
    out = run_jobs("--job", "profile-capture")
    assert "1 already kept" in out
    assert http_server.requests.count("/pics/alex.png") == 1


def test_profile_capture_reports_a_missing_page_and_goes_on(http_server, settings, tracked):
    http_server.serve(
        "/profile/bob/", profile_page(http_server.serve("/b.jpg", image_bytes())), content_type="text/html"
    )
    settings.PROFILE_CAPTURE_URL = http_server.base_url + "/profile/{username}/"
    out = run_jobs("--job", "profile-capture")
    assert "1 images captured" in out
    assert "1 errors" in out


def test_a_failed_room_image_download_keeps_its_address_and_reason(http_server, feed, tracked, auth_client):
    broken = http_server.serve("/ri/alex.jpg", b"not found", status=404)
    feed([room("alex", broken)])
    out = run_jobs("--job", "affiliate-polling")
    assert "1 image errors" in out
    job = MediaJob.objects.get(name="affiliate-polling")
    assert job.last_failed_url == broken
    assert "HTTP 404" in job.last_failed_reason
    assert broken in job.last_error
    status = StringIO()
    call_command("media_jobs", "status", stdout=status)
    assert "affiliate-polling: last failed download" in status.getvalue()
    assert broken in status.getvalue()
    page = auth_client.get("/admin/media/mediajob/")
    assert broken in page.content.decode()


def test_a_failed_profile_picture_download_keeps_its_address_and_reason(http_server, settings, tracked):
    http_server.serve("/profile/alex/", profile_page("/pics/huge.png"), content_type="text/html")
    http_server.serve("/pics/huge.png", b"<html>not an image</html>", content_type="image/png")
    http_server.serve("/profile/bob/", profile_page(None), content_type="text/html")
    settings.PROFILE_CAPTURE_URL = http_server.base_url + "/profile/{username}/"
    run_jobs("--job", "profile-capture")
    job = MediaJob.objects.get(name="profile-capture")
    assert job.last_failed_url == http_server.base_url + "/pics/huge.png"
    assert job.last_failed_reason
