from datetime import UTC, datetime

import pytest

from media.keys import is_quarantined, media_key, original_key, parse_media_key, quarantine_key

SHA = "ab12cd34" + "0" * 56
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_keys_on_local_storage_have_no_prefix(settings):
    settings.MEDIA_STORAGE = "local"
    key = media_key(username="alex_lord_", source="upload", captured_at=WHEN, sha256=SHA, ext="JPG")
    assert key == "people/alex_lord_/upload/alex_lord__1735787045_ab12cd34.jpg"
    assert quarantine_key(key) == "QUARANTINE/people/alex_lord_/upload/alex_lord__1735787045_ab12cd34.jpg"


def test_keys_on_s3_start_with_the_prefix_and_quarantine_mirrors_them(settings):
    settings.MEDIA_STORAGE = "s3"
    settings.S3_PREFIX = "mhc/media"
    key = media_key(username="bob", source="affiliate_api", captured_at=WHEN, sha256=SHA, ext="png")
    assert key == "mhc/media/people/bob/affiliate_api/bob_1735787045_ab12cd34.png"
    quarantined = quarantine_key(key)
    assert quarantined == "mhc/media/QUARANTINE/people/bob/affiliate_api/bob_1735787045_ab12cd34.png"
    assert is_quarantined(quarantined)
    assert not is_quarantined(key)
    assert original_key(quarantined) == key
    assert quarantine_key(key, folder="orphans").startswith("mhc/media/QUARANTINE/orphans/people/bob/")
    assert original_key(quarantine_key(key, folder="orphans"), folder="orphans") == key


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("people/alex_lord_/upload/alex_lord__1735787045_ab12cd34.jpg", ("alex_lord_", "upload", 1735787045)),
        ("people/bob/affiliate_api/bob_1600000000_deadbeefcafe.JPEG", ("bob", "affiliate_api", 1600000000)),
        ("people/bob/affiliate_api/alice_1600000000_deadbeef.jpg", None),  # folder and name disagree
        ("people/bob/affiliate_api/photo.jpg", None),
        ("people/bob/photo.jpg", None),
        ("QUARANTINE/people/bob/upload/bob_1_deadbeef.jpg", None),
    ],
)
def test_parse_media_key_reads_the_layout_back(settings, key, expected):
    settings.MEDIA_STORAGE = "local"
    parsed = parse_media_key(key)
    assert ((parsed.username, parsed.source, parsed.unixtime) if parsed else None) == expected
