import json
from pathlib import Path

import pytest
from django.conf import settings

from media.demo import (
    BROADCASTERS,
    DELETED_IMAGE_PERSON,
    GALLERY_PEOPLE,
    NEAR_COPY_PERSON,
    OFFLINE_PICTURE_PEOPLE,
)
from media.keys import quarantine_key
from media.models import AffiliateSnapshot, MediaRecord
from media.selectors import broadcast_sessions, primary_media
from media.storage import file_digest, file_exists, files_under
from mhc.demo import load_demo
from profiles.models import Person
from tests.media.maintenance_helpers import run_command


def latest_report(name: str) -> dict:
    [path] = Path(settings.REPORTS_DIR).glob(f"{name}-*.json")
    return json.loads(path.read_text())


@pytest.mark.django_db
def test_the_demo_gives_people_real_images_a_primary_and_broadcasts_once():
    load_demo()
    records, snapshots = MediaRecord.objects.count(), AffiliateSnapshot.objects.count()
    files = sorted(stored.key for stored in files_under(""))
    assert len(files) == records > 0
    for username in GALLERY_PEOPLE:
        primary = primary_media(Person.objects.get(username=username))
        assert primary is not None
        assert primary.mime_type == "image/jpeg"
        assert file_digest(primary.file_path).sha256 == primary.sha256
    for username, sessions in BROADCASTERS.items():
        assert len(broadcast_sessions(Person.objects.get(username=username))) == len(sessions)
    assert AffiliateSnapshot.objects.filter(media_locator__isnull=True).count() == 0
    load_demo()
    assert (MediaRecord.objects.count(), AffiliateSnapshot.objects.count()) == (records, snapshots)
    assert sorted(stored.key for stored in files_under("")) == files


@pytest.mark.django_db
def test_the_demo_library_has_something_for_each_maintenance_command_and_is_consistent():
    load_demo()
    dry_run = run_command("media_dedup")
    assert dry_run.exit_code == 0
    cross_person = latest_report("media-dedup")["cross_person_groups"]
    assert [group["people"] for group in cross_person] == [len(OFFLINE_PICTURE_PEOPLE)]
    deleted = MediaRecord.objects.deleted().get(person__username=DELETED_IMAGE_PERSON)
    assert file_exists(quarantine_key(deleted.file_path))
    check = run_command("media_check")
    assert check.exit_code == 0, check.output


@pytest.mark.django_db
def test_the_demo_has_a_near_duplicate_for_media_similar():
    load_demo()
    assert not MediaRecord.objects.live().filter(phash="").exists()
    assert run_command("media_similar").exit_code == 0
    # The snapshots of one broadcast are near copies too, as affiliate thumbnails are.
    groups = latest_report("media-similar")["groups"]
    assert NEAR_COPY_PERSON in {group["username"] for group in groups}
    assert all(len(group["images"]) > 1 for group in groups)
