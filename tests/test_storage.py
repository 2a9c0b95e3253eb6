"""The storage fixtures: media really goes through django-storages to the S3 server, and local
tests never touch the owner's media folder."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@pytest.mark.s3
def test_s3_fixture_stores_and_reads_a_file_through_the_storage_api(s3_storage, s3_server):
    name = s3_storage.save("mhc/media/people/alex/upload/a.txt", ContentFile(b"hello s3"))
    with s3_storage.open(name) as handle:
        assert handle.read() == b"hello s3"
    listed = s3_server.client().list_objects_v2(Bucket=settings.S3_BUCKET)["Contents"]
    assert [obj["Key"] for obj in listed] == [name]
    url = s3_storage.url(name)
    assert "X-Amz-Signature" in url  # pre-signed, never a public link


def test_local_storage_is_a_temporary_folder(tmp_path):
    name = default_storage.save("people/x/a.txt", ContentFile(b"local"))
    assert (tmp_path / "media" / name).read_bytes() == b"local"
