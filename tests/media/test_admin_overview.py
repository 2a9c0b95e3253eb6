"""The admin's media overview: the library's figures from a few aggregate queries, the quarantine
as the latest media_check measured it, and the latest reports to download (staff only).

The figures come from the database and REPORTS_DIR, never from storage, so these tests record
files nowhere (`with_file=False`) and run once."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from media.maintenance.run import report_write
from media.models import MediaRecord, MediaSource, PlaceholderHash
from tests.factories import PersonFactory, UserFactory
from tests.media.maintenance_helpers import record_with_file

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/media/mediarecord/overview/"
A, B, C, P, Q = (letter * 64 for letter in "abcde")


_serial = iter(range(10**9))


def _record(person, sha256: str = "", *, source=MediaSource.AFFILIATE_API) -> MediaRecord:
    content = str(next(_serial)).encode()
    record = record_with_file(person, content, source=source, with_file=False, with_digest=bool(sha256))
    if sha256:
        MediaRecord.objects.filter(pk=record.pk).update(sha256=sha256)
    return record


@pytest.fixture
def library(settings):
    """11 live records (5 affiliate, 3 upload, 2 profile, 1 screenshot) and 1 soft-deleted.

    Same person, same bytes: alice's two A, bob's three C (2 groups, 3 records beyond one).
    Several people, same bytes: A (alice, bob) and the placeholder P (carol, dave).
    """
    alice, bob, carol, dave, erin = (
        PersonFactory(username=n) for n in ("alice", "bob", "carol", "dave", "erin")
    )
    _record(alice, A)
    _record(alice, A)
    _record(alice, B, source=MediaSource.UPLOAD)
    deleted = _record(alice, B)
    MediaRecord.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    for _ in range(3):
        _record(bob, C)
    _record(bob, A, source=MediaSource.SCREENSNAP)
    _record(carol, P, source=MediaSource.PROFILE)
    _record(dave, P, source=MediaSource.PROFILE)
    _record(erin, source=MediaSource.UPLOAD)  # not hashed yet: no duplicate of anything
    _record(erin, source=MediaSource.UPLOAD)
    PlaceholderHash.objects.create(sha256=P)
    settings.MEDIA_PLACEHOLDER_SHA256 = [Q, P.upper()]


def _row(html: str, row_id: str) -> str:
    """The text of the table row with this id, tags dropped and spaces squeezed."""
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row {row_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def test_the_overview_shows_the_library_figures(auth_client, library):
    html = auth_client.get(OVERVIEW).content.decode()
    assert _row(html, "source-affiliate_api") == "Affiliate API 5"
    assert _row(html, "source-upload") == "Upload 3"
    assert _row(html, "source-profile") == "Profile 2"
    assert _row(html, "source-screensnap") == "Screenshot 1"
    assert _row(html, "records-live") == "All live 11"
    assert _row(html, "records-deleted") == "Soft-deleted 1"
    assert _row(html, "duplicates-same-person").endswith("2 3 records")
    assert _row(html, "duplicates-cross-person").endswith("2 2 people")
    assert _row(html, "placeholder-hashes") == "Known placeholder hashes 2"
    assert "run manage.py media_check to measure it" in _row(html, "quarantine")


def test_the_quarantine_size_is_the_latest_media_check_measure(auth_client, library):
    measured = {"quarantine_files": 4, "quarantine_bytes": 3_000_000}
    report_write("media-check", {"finished_at": "2025-01-02T03:04:00+00:00", "summary": measured})
    latest = report_write(
        "media-check",
        {
            "finished_at": datetime(2025, 2, 3, 4, 5, tzinfo=UTC),
            "summary": {**measured, "quarantine_files": 7},
        },
    )
    report_write("media-verify", {"summary": {}})  # another command's report is no measure
    row = _row(auth_client.get(OVERVIEW).content.decode(), "quarantine")
    assert row.startswith("7 files, 2.9 MB (3,000,000 bytes) as of 2025-02-03 04:05")
    assert latest.name in row


def test_the_latest_reports_are_listed_and_download(auth_client, settings):
    first = report_write("orphan-files", {"summary": {"unregistered": 2}})
    second = report_write("media-verify", {"summary": {"people": 7}})
    html = auth_client.get(OVERVIEW).content.decode()
    links = re.findall(r'<a href="(/admin/media/mediarecord/reports/[^"]+)" download>', html)
    assert links == [f"/admin/media/mediarecord/reports/{p.name}" for p in (second, first)]
    response = auth_client.get(links[1])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{first.name}"')
    assert b"".join(response.streaming_content) == first.read_bytes()


@pytest.mark.parametrize(
    "name",
    ["..%2Fsecret.json", "../secret.json", "sub/inner.json", "%2Fetc%2Fpasswd", "missing.json", "link.json"],
)
def test_a_report_name_that_is_not_a_file_of_the_reports_folder_is_404(auth_client, settings, name):
    folder = settings.REPORTS_DIR
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inner.json").write_text("{}")
    secret = folder.parent / "secret.json"
    secret.write_text('{"secret": true}')
    (folder / "link.json").symlink_to(secret)
    response = auth_client.get(f"/admin/media/mediarecord/reports/{name}")
    assert response.status_code == 404
    assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_only_the_owner_sees_the_overview_and_the_reports(auth_client, settings):
    client = Client()
    report = report_write("media-verify", {"summary": {}})
    download = f"/admin/media/mediarecord/reports/{report.name}"
    for url in (OVERVIEW, download):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login/?next=" in response["Location"], url
    # Any other account is refused, even staff with the right to view media records: the admin
    # is the owner's alone (mhc.auth).
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_mediarecord"))
    client.force_login(clerk)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(download).status_code == 403
    assert auth_client.get(OVERVIEW).status_code == 200


def test_the_overview_is_linked_from_the_admin_index_and_the_records_list(auth_client):
    link = f'href="{OVERVIEW}"'
    assert link in auth_client.get("/admin/").content.decode()
    assert link in auth_client.get("/admin/media/").content.decode()
    assert link not in auth_client.get("/admin/auth/").content.decode()
    assert link in auth_client.get("/admin/media/mediarecord/").content.decode()


def test_the_overview_takes_a_fixed_number_of_queries(auth_client, library, django_assert_num_queries):
    people = PersonFactory.create_batch(20)
    for n, person in enumerate(people):
        for m in range(5):
            _record(person, f"{n:032x}{m % 2:032x}")
    for _ in range(5):
        report_write("media-check", {"summary": {"quarantine_files": 1, "quarantine_bytes": 1}})
    with django_assert_num_queries(7):
        response = auth_client.get(OVERVIEW)
    assert response.status_code == 200
    assert _row(response.content.decode(), "records-live") == "All live 111"
