"""After a rename, images stay under the former name's folder and still belong to the person."""

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile

from media.keys import media_key
from media.models import MediaRecord, MediaSource
from media.storage import digest_stream, file_exists, file_save
from profiles.services import person_rename
from tests.factories import ProfileFactory
from tests.media.conftest import image_bytes
from tests.media.maintenance_helpers import run_command

pytestmark = pytest.mark.django_db
CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_media_orphans_register_gives_files_in_a_former_names_folder_to_the_person():
    person = ProfileFactory(person__username="alex_lord_").person
    data = image_bytes(color=(1, 2, 3), image_format="PNG")
    key = media_key(
        username="alex_lord_",
        source=MediaSource.AFFILIATE_API,
        captured_at=CAPTURED,
        sha256=digest_stream([data]).sha256,
        ext="png",
    )
    file_save(key, ContentFile(data))
    person_rename(person=person, new_username="alex_new")

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    record = MediaRecord.objects.get(file_path=key)
    assert record.person_id == person.pk
    assert file_exists(key)  # the file stays where it was
