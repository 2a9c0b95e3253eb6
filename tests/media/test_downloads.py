"""Downloading images into a person's library, against a real HTTP server on loopback."""

import hashlib

import pytest

from media.models import MediaRecord, MediaSource
from media.selectors import has_source_url
from media.services import MediaRejected, is_placeholder, media_download_and_save, placeholder_add
from media.storage import file_digest, files_under
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def download(url: str, person, source=MediaSource.AFFILIATE_API):
    return media_download_and_save(url=url, person=person, source=source)


def test_a_downloaded_image_is_stored_with_its_source_url_and_hash(storage_kind, http_server, person):
    url = http_server.serve_image("/ri/alex.jpg", size=(360, 270))
    record = download(url, person)
    body = http_server.routes["/ri/alex.jpg"].body
    assert record.source == "affiliate_api"
    assert record.source_url == url
    assert record.original_filename == "alex.jpg"
    assert (record.width, record.height, record.mime_type) == (360, 270, "image/jpeg")
    assert record.sha256 == hashlib.sha256(body).hexdigest()
    assert file_digest(record.file_path).sha256 == record.sha256
    assert has_source_url(person, url)


def test_downloading_the_same_image_again_returns_the_existing_record(storage_kind, http_server, person):
    data = image_bytes()
    first = download(http_server.serve("/a.jpg", data), person)
    again = download(http_server.serve("/b.jpg", data), person)
    assert again.pk == first.pk
    assert MediaRecord.objects.count() == 1
    assert len(list(files_under(""))) == 1


def test_the_type_comes_from_the_bytes_not_the_header(http_server, person):
    url = http_server.serve(
        "/photo", image_bytes(image_format="PNG"), content_type="application/octet-stream"
    )
    assert download(url, person).mime_type == "image/png"


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/a.jpg", "file:///etc/passwd", "javascript:alert(1)", "//127.0.0.1/a.jpg", "not a url"],
)
def test_only_http_and_https_addresses_are_downloaded(person, url):
    with pytest.raises(MediaRejected) as rejected:
        download(url, person)
    assert rejected.value.code == "scheme"
    assert not MediaRecord.objects.exists()


def test_a_page_served_as_an_image_is_refused(http_server, person):
    url = http_server.serve("/fake.jpg", b"<html><body>Sorry</body></html>", content_type="image/jpeg")
    with pytest.raises(MediaRejected, match="not an image"):
        download(url, person)
    assert not MediaRecord.objects.exists()
    assert list(files_under("")) == []


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "streamed"])
def test_an_image_over_the_size_limit_is_refused(http_server, person, settings, send_length):
    data = image_bytes(size=(400, 400))
    settings.MEDIA_MAX_IMAGE_BYTES = len(data) // 2
    url = http_server.serve("/big.jpg", data, send_length=send_length)
    with pytest.raises(MediaRejected) as rejected:
        download(url, person)
    assert rejected.value.code == "too_large"
    assert not MediaRecord.objects.exists()


def test_an_http_error_is_refused_with_its_status(http_server, person):
    with pytest.raises(MediaRejected, match="HTTP 404"):
        download(http_server.base_url + "/missing.jpg", person)


def test_a_server_that_stops_answering_times_out(http_server, person, settings):
    settings.MEDIA_DOWNLOAD_READ_TIMEOUT = 0.2
    url = http_server.serve("/slow.jpg", image_bytes(), delay=2)
    with pytest.raises(MediaRejected) as rejected:
        download(url, person)
    assert rejected.value.code == "network"


def test_an_unreachable_server_is_a_network_error(person):
    with pytest.raises(MediaRejected) as rejected:
        download("http://127.0.0.1:9/nothing.jpg", person)
    assert rejected.value.code == "network"


def test_redirects_are_followed(http_server, person):
    target = http_server.serve_image("/final.jpg")
    url = http_server.serve("/moved.jpg", b"", status=302, headers={"Location": "/final.jpg"})
    record = download(url, person)
    assert record.source_url == url
    assert record.original_filename == "final.jpg"
    assert target.endswith("/final.jpg")


@pytest.mark.parametrize(
    "path", ["/images/no_image.jpg", "/NoImage.png", "/x/placeholder-360.jpg", "/default_avatar.jpg"]
)
def test_placeholder_addresses_are_skipped_without_downloading(http_server, person, path):
    url = http_server.serve_image(path)
    assert download(url, person) is None
    assert http_server.requests == []
    assert not MediaRecord.objects.exists()


def test_placeholder_images_are_skipped_by_hash_from_settings_or_table_and_by_size(
    http_server, person, settings
):
    by_setting, by_table, by_size = (
        image_bytes(color=(1, 1, 1)),
        image_bytes(color=(2, 2, 2)),
        image_bytes(size=(9, 9)),
    )
    settings.MEDIA_PLACEHOLDER_SHA256 = [hashlib.sha256(by_setting).hexdigest().upper()]
    settings.MEDIA_PLACEHOLDER_SIZES = [len(by_size)]
    placeholder_add(sha256=hashlib.sha256(by_table).hexdigest(), note="seen for 40 people")
    for name, data in [("a", by_setting), ("b", by_table), ("c", by_size)]:
        assert download(http_server.serve(f"/{name}.jpg", data), person) is None
    assert not MediaRecord.objects.exists()
    assert download(http_server.serve_image("/real.jpg", color=(90, 10, 10)), person) is not None


def test_is_placeholder_takes_an_address_or_bytes(settings):
    data = image_bytes()
    assert is_placeholder("https://img.example.com/no_image.jpg")
    assert not is_placeholder("https://img.example.com/ri/alex.jpg")
    assert not is_placeholder(data)
    settings.MEDIA_PLACEHOLDER_SIZES = [len(data)]
    assert is_placeholder(data)
