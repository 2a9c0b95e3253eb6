"""Live screenshots end to end: a local HTTP server plays the affiliate feed and serves the room
images; the job captures the followed people who are live."""

import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from attributes.services import attribute_set
from media.live import live_screenshot
from media.models import AffiliateSnapshot, MediaJob, MediaRecord
from media.services import MediaRejected, affiliate_snapshot_create, jobs_stop, media_create
from media.storage import file_exists
from tests.factories import PersonFactory, ProfileFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db
FEED = "/affiliates/onlinerooms/"


def room(username: str, image_url: str) -> dict:
    return {
        "username": username,
        "room_subject": f"{username} live",
        "seconds_online": 600,
        "image_url_360x270": image_url,
    }


@pytest.fixture
def feed(http_server, settings):
    def serve(rooms):
        settings.AFFILIATE_API_URL = http_server.serve(
            FEED, json.dumps(rooms).encode(), content_type="application/json"
        )

    return serve


def followed(username: str):
    person = ProfileFactory(person=PersonFactory(username=username)).person
    attribute_set(person=person, key="following", value=True)
    return person


def run_jobs(*args) -> str:
    out = StringIO()
    call_command("run_jobs", "--once", *args, stdout=out)
    return out.getvalue()


def test_a_followed_person_who_is_live_is_captured_and_no_one_else(storage_kind, http_server, feed):
    alex = followed("alex")
    followed("offline_olga")
    ProfileFactory(person=PersonFactory(username="unfollowed"))
    feed(
        [
            room("alex", http_server.serve_image("/ri/alex.jpg", size=(360, 270))),
            room("unfollowed", http_server.serve_image("/ri/unfollowed.jpg")),
        ]
    )

    report = live_screenshot()

    capture = MediaRecord.objects.get()
    assert (capture.person, capture.source, capture.width, capture.height) == (alex, "screensnap", 360, 270)
    assert "people/alex/screensnap/alex_" in capture.file_path
    assert file_exists(capture.file_path)
    assert "/ri/unfollowed.jpg" not in http_server.requests
    assert (report.followed, report.followed_live, report.captured) == (2, 1, 1)


def test_an_unchanged_image_is_not_stored_twice_and_a_new_one_is(http_server, feed):
    followed("alex")
    feed([room("alex", http_server.serve_image("/ri/alex.jpg"))])

    live_screenshot()
    again = live_screenshot()
    assert (again.captured, again.unchanged) == (0, 1)
    assert MediaRecord.objects.count() == 1

    http_server.serve_image("/ri/alex.jpg", color=(10, 200, 10))
    assert live_screenshot().captured == 1
    assert MediaRecord.objects.filter(source="screensnap").count() == 2


def test_placeholders_and_html_posing_as_an_image_are_refused_with_the_address_and_reason(http_server, feed):
    followed("alex")
    followed("bob")
    page = http_server.serve(
        "/ri/bob.jpg", b"<html><body>not an image</body></html>", content_type="image/jpeg"
    )
    feed([room("alex", http_server.serve_image("/images/no_image.jpg")), room("bob", page)])

    report = live_screenshot()

    assert not MediaRecord.objects.exists()
    assert report.placeholders == 1
    assert [(f["username"], f["url"]) for f in report.failures] == [("bob", page)]
    assert report.failures[0]["reason"]


def test_a_stop_during_a_cycle_is_honoured_before_the_next_download(http_server, feed):
    for name in ("alex", "bob", "cleo"):
        followed(name)
    feed(
        [
            room(name, http_server.serve_image(f"/ri/{name}.jpg", color=(i * 60, 10, 10)))
            for i, name in enumerate(("alex", "bob", "cleo"))
        ]
    )
    downloads = iter([True, False])

    report = live_screenshot(keep_going=lambda: next(downloads))

    assert report.stopped
    assert MediaRecord.objects.count() == 1
    jobs_stop(names=["live-screenshot"])
    assert live_screenshot().stopped
    assert MediaRecord.objects.count() == 1


def test_a_feed_that_is_down_fails_the_cycle_with_the_reason(http_server, settings):
    followed("alex")
    settings.AFFILIATE_API_URL = http_server.base_url + "/not-there/"

    with pytest.raises(MediaRejected):
        live_screenshot()
    with pytest.raises(CommandError, match="1 job cycle"):
        run_jobs("--job", "live-screenshot")

    job = MediaJob.objects.get(name="live-screenshot")
    assert "404" in job.last_error
    assert job.last_cycle["failed"] == job.last_error


def test_one_round_reads_the_feed_once_for_both_jobs_and_the_snapshot_links_the_capture(http_server, feed):
    followed("alex")
    feed([room("alex", http_server.serve_image("/ri/alex.jpg"))])

    out = run_jobs("--job", "live-screenshot", "--job", "affiliate-polling")

    assert http_server.requests.count(FEED) == 1
    assert "live-screenshot: 1 of 1 followed people live, 1 captured" in out
    capture = MediaRecord.objects.get()
    assert capture.source == "screensnap"
    assert AffiliateSnapshot.objects.get().media_locator == capture


def test_media_jobs_status_shows_the_last_cycle_and_each_failure(http_server, feed):
    followed("bob")
    page = http_server.serve("/ri/bob.jpg", b"<html></html>", content_type="image/jpeg")
    feed([room("bob", page)])
    run_jobs("--job", "live-screenshot")

    out = StringIO()
    call_command("media_jobs", "status", stdout=out)

    assert "live-screenshot, last cycle" in out.getvalue()
    assert f"failed: bob {page}:" in out.getvalue()


def test_the_admin_media_jobs_screen_shows_the_last_cycle(auth_client, http_server, feed):
    followed("bob")
    feed([room("bob", http_server.serve("/ri/bob.jpg", b"<html></html>", content_type="image/jpeg"))])
    run_jobs("--job", "live-screenshot")
    job = MediaJob.objects.get(name="live-screenshot")

    listing = auth_client.get("/admin/media/mediajob/").content.decode()
    detail = auth_client.get(f"/admin/media/mediajob/{job.pk}/change/").content.decode()

    assert "1 of 1 followed people live, 0 captured" in listing
    assert "/ri/bob.jpg" in detail


def test_the_gallery_live_tab_lists_screenshots_newest_first(auth_client, http_server, feed):
    alex = followed("alex")
    for n in range(3):
        http_server.serve_image("/ri/alex.jpg", color=(n * 80, 50, 50))
        feed([room("alex", http_server.base_url + "/ri/alex.jpg")])
        live_screenshot()
    newest_first = list(
        MediaRecord.objects.order_by("-captured_at", "-created_at").values_list("id", flat=True)
    )

    html = auth_client.get(f"/profile/{alex.username}/sections/images/?source=screensnap").content.decode()

    assert ">Live <span" in html
    positions = [html.index(str(pk)) for pk in newest_first]
    assert positions == sorted(positions)


def test_broadcast_history_links_each_session_to_its_screenshots(auth_client):
    person = ProfileFactory(person=PersonFactory(username="alex")).person
    now = timezone.now()
    for start in (now - timedelta(days=2), now - timedelta(hours=3)):
        for n in range(3):
            affiliate_snapshot_create(
                person=person, observed_at=start + timedelta(minutes=5 * n), seconds_online=300 * n
            )
    shots = [
        media_create(
            person=person,
            source="screensnap",
            content=io.BytesIO(image_bytes(color=(n, 9, 9))),
            captured_at=at,
        )[0]
        for n, at in enumerate([now - timedelta(days=2, minutes=-6), now - timedelta(hours=3, minutes=-2)])
    ]

    html = auth_client.get(f"/profile/{person.username}/sections/broadcast-history/").content.decode()

    rows = html.split("<tr>")[2:]
    assert str(shots[1].pk) in rows[0]
    assert str(shots[0].pk) not in rows[0]
    assert str(shots[0].pk) in rows[1]
