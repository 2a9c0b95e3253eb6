import pytest

from media.demo import BROADCASTERS, GALLERY_PEOPLE
from media.models import AffiliateSnapshot, MediaRecord
from media.selectors import broadcast_sessions, primary_media
from media.storage import file_digest, files_under
from mhc.demo import load_demo
from profiles.models import Person


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
