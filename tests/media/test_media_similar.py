"""`media_similar`: near-duplicate pictures of a person found by perceptual hash, reported in
admin with thumbnails, and quarantined only when the owner ticks them."""

import io
import json
import random

import pytest
from PIL import Image, ImageDraw

from events.models import Event
from media.keys import quarantine_key
from media.models import MediaJob, MediaRecord
from media.storage import file_exists
from tests.factories import PersonFactory
from tests.media.maintenance_helpers import record_with_file, run_command

pytestmark = pytest.mark.django_db


def picture(seed: int, *, quality: int = 90, size=(160, 120)) -> bytes:
    """A picture of random blocks (pHash needs structure; a flat colour has none)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (160, 120), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(140), rng.randrange(100)
        color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(10, 60), y + rng.randrange(10, 50)), fill=color)
    if size != (160, 120):
        image = image.resize(size)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


@pytest.fixture
def library(storage_kind):
    """alice: one picture three times over (as saved, re-encoded, resized) and another picture;
    bob: the first picture once (never grouped with alice's)."""
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    same = [
        record_with_file(alice, picture(1)),
        record_with_file(alice, picture(1, quality=55)),
        record_with_file(alice, picture(1, size=(150, 112))),
    ]
    other = record_with_file(alice, picture(2))
    bobs = record_with_file(bob, picture(1))
    return {"same": same, "other": other, "bob": bobs}


def latest_report(settings) -> dict:
    return json.loads(sorted(settings.REPORTS_DIR.glob("media-similar-2*.json"))[-1].read_text())


def test_similar_pictures_of_a_person_are_grouped_and_nothing_is_removed(library, settings):
    run = run_command("media_similar")

    assert run.exit_code == 0, run.output
    report = latest_report(settings)
    [group] = report["groups"]
    assert group["username"] == "alice"
    assert {image["id"] for image in group["images"]} == {str(record.pk) for record in library["same"]}
    assert MediaRecord.objects.exclude(phash="").count() == 5
    assert MediaRecord.objects.live().count() == 5
    assert "alice: 3 similar pictures" in run.output
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}
    # A second run reuses the stored hashes.
    again = run_command("media_similar")
    assert (
        json.loads(sorted(settings.REPORTS_DIR.glob("media-similar-2*.json"))[-1].read_text())["summary"][
            "hashed"
        ]
        == 0
    )
    assert again.exit_code == 0


def test_a_distance_of_zero_groups_only_identical_hashes(library, settings):
    assert run_command("media_similar", "--distance", "0").exit_code == 0
    for group in latest_report(settings)["groups"]:
        assert len({image["phash"] for image in group["images"]}) == 1


@pytest.mark.parametrize("distance", ["-1", "32", "many"])
def test_a_bad_distance_is_refused(distance):
    run = run_command("media_similar", "--distance", distance)
    assert run.exit_code == 1
    assert "--distance" in run.output


def test_admin_shows_the_groups_with_thumbnails_and_quarantines_only_what_is_ticked(library, auth_client):
    run_command("media_similar")
    page = auth_client.get("/admin/media/mediarecord/similar/")
    html = page.content.decode()
    assert page.status_code == 200
    for record in library["same"]:
        assert f'src="/media/file/{record.pk}' in html or record.get_absolute_url() in html
    assert library["other"].get_absolute_url() not in html
    assert "style=" not in html.split('id="content-main"')[1]

    ticked = library["same"][1:]
    response = auth_client.post("/admin/media/mediarecord/similar/", {"images": [str(r.pk) for r in ticked]})

    assert response.status_code == 302
    for record in ticked:
        record.refresh_from_db()
        assert record.is_deleted
        assert file_exists(quarantine_key(record.file_path))
    library["same"][0].refresh_from_db()
    assert not library["same"][0].is_deleted
    assert (
        Event.objects.filter(kind="media.similar_removed", person_id=library["same"][0].person_id).count()
        == 2
    )
    # The group is down to one picture: nothing left to review.
    assert (
        "alice"
        not in auth_client.get("/admin/media/mediarecord/similar/")
        .content.decode()
        .split('id="content-main"')[1]
    )


def test_ticking_every_picture_of_a_group_is_refused_and_changes_nothing(library, auth_client):
    run_command("media_similar")
    everything = [str(record.pk) for record in library["same"]]
    response = auth_client.post("/admin/media/mediarecord/similar/", {"images": everything}, follow=True)
    assert "Keep at least one picture" in response.content.decode()
    assert MediaRecord.objects.live().count() == 5


def test_a_picture_in_no_reported_group_is_refused(library, auth_client):
    run_command("media_similar")
    response = auth_client.post(
        "/admin/media/mediarecord/similar/", {"images": [str(library["other"].pk)]}, follow=True
    )
    assert "Not in a reported group" in response.content.decode()
    assert MediaRecord.objects.live().count() == 5


def test_the_page_says_how_to_make_a_report_when_there_is_none(auth_client):
    page = auth_client.get("/admin/media/mediarecord/similar/")
    assert "manage.py media_similar" in page.content.decode()
