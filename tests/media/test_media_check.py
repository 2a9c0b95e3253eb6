"""`media_check` and `integrity_check`: records against storage both ways, read-only, every
missing and unregistered key listed, the quarantine measured, non-zero exit on a problem."""

import json
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from media.keys import media_key, people_prefix, quarantine_key, quarantine_prefix
from media.maintenance.integrity import integrity_check
from media.maintenance.run import Progress
from media.models import MediaJob, MediaRecord
from media.services import media_soft_delete
from media.storage import file_delete, file_save, files_under
from tests.factories import PersonFactory
from tests.media.maintenance_helpers import record_with_file, run_command

pytestmark = pytest.mark.django_db


def latest_report(settings) -> dict:
    path = sorted(settings.REPORTS_DIR.glob("media-check-*.json"))[-1]
    return json.loads(path.read_text())


def stray_key(username: str, name: str = "unknown_1700000000_abcdef12.jpg") -> str:
    return f"{people_prefix()}{username}/affiliate_api/{name}"


def everything() -> tuple[list, list]:
    """The whole library as it stands: every file (key, size) and every record row."""
    files = sorted((stored.key, stored.size) for stored in files_under(""))
    rows = sorted(MediaRecord.objects.values_list("id", "file_path", "sha256", "size_bytes", "deleted_at"))
    return files, rows


def test_a_consistent_library_passes_with_its_counts_and_quarantine(storage_kind, settings):
    alice, bob = PersonFactory.create_batch(2)
    record_with_file(alice, b"a" * 10)
    record_with_file(alice, b"b" * 20)
    record_with_file(bob, b"c" * 30)
    media_soft_delete(record=record_with_file(bob, b"d" * 40))

    result = run_command("media_check")

    assert result.exit_code == 0, result.output
    report = latest_report(settings)
    assert report["command"] == "media_check"
    assert report["summary"] == {
        "live_records": 3,
        "deleted_records": 1,
        "files": 3,
        "files_bytes": 60,
        "missing": 0,
        "unregistered": 0,
        "deleted_not_quarantined": 0,
        "stray": 0,
        "quarantine_files": 1,
        "quarantine_bytes": 40,
    }
    assert report["problems"] == []
    assert "quarantine_files" in result.output


def test_every_missing_and_unregistered_key_is_reported_and_the_run_fails(storage_kind, settings):
    people = PersonFactory.create_batch(3)
    for index, person in enumerate(people):
        for copy in range(3):
            record_with_file(person, f"{index}-{copy}".encode())
    missing = [
        record_with_file(people[0], b"lost 1", with_file=False),
        record_with_file(people[2], b"lost 2", with_file=False),
        record_with_file(people[2], b"lost 3", with_file=False),
    ]
    unregistered = [stray_key(people[1].username), stray_key("nobody_known")]
    for key in unregistered:
        file_save(key, ContentFile(b"no record"))

    result = run_command("media_check", "--batch-size", "2")

    assert result.exit_code == 1
    assert "3 missing file(s)" in result.output
    assert "2 unregistered file(s)" in result.output
    report = latest_report(settings)
    assert sorted(row["key"] for row in report["missing"]) == sorted(record.file_path for record in missing)
    assert {row["id"] for row in report["missing"]} == {str(record.id) for record in missing}
    assert sorted(row["key"] for row in report["unregistered"]) == sorted(unregistered)
    assert all(row["size"] == len(b"no record") for row in report["unregistered"])
    assert (report["summary"]["live_records"], report["summary"]["files"]) == (12, 11)


def test_a_file_whose_record_was_deleted_is_reported_but_not_a_problem(storage_kind, settings):
    person = PersonFactory()
    record = record_with_file(person, b"deleted before quarantining existed")
    MediaRecord.objects.filter(pk=record.pk).update(deleted_at=timezone.now())

    result = run_command("media_check")

    assert result.exit_code == 0, result.output
    report = latest_report(settings)
    assert report["deleted_not_quarantined"] == [record.file_path]
    assert report["summary"]["unregistered"] == 0


def test_a_key_held_by_a_live_and_a_deleted_record_counts_as_registered(storage_kind, settings):
    person = PersonFactory()
    old = record_with_file(person, b"same", with_file=False)
    MediaRecord.objects.filter(pk=old.pk).update(deleted_at=timezone.now())
    record_with_file(person, b"same", captured_at=old.captured_at)

    assert run_command("media_check").exit_code == 0
    report = latest_report(settings)
    assert report["deleted_not_quarantined"] == []
    assert (report["summary"]["files"], report["summary"]["live_records"]) == (1, 1)


def test_stray_files_are_listed_apart_and_never_count_as_unregistered(storage_kind, settings):
    person = PersonFactory()
    record_with_file(person, b"kept")
    ds_store = f"{people_prefix()}{person.username}/.DS_Store"
    file_save(ds_store, ContentFile(b"\0\0\0\1Bud1"))

    result = run_command("media_check")

    assert result.exit_code == 0, result.output
    report = latest_report(settings)
    assert report["stray"] == [ds_store]
    assert report["summary"]["files"] == 1


def test_quarantined_files_are_measured_but_never_counted_under_people(storage_kind, settings):
    person = PersonFactory()
    record_with_file(person, b"live")
    file_save(quarantine_key(stray_key(person.username)), ContentFile(b"12345"))
    file_save(f"{quarantine_prefix('orphans')}people/x/y/z.jpg", ContentFile(b"123"))

    assert run_command("media_check").exit_code == 0
    summary = latest_report(settings)["summary"]
    assert (summary["files"], summary["unregistered"]) == (1, 0)
    assert (summary["quarantine_files"], summary["quarantine_bytes"]) == (2, 8)


def test_an_empty_library_is_consistent(storage_kind, settings):
    assert run_command("media_check").exit_code == 0
    summary = latest_report(settings)["summary"]
    assert set(summary.values()) == {0}


def test_the_check_changes_nothing_and_leaves_the_jobs_running(storage_kind):
    person = PersonFactory()
    record_with_file(person, b"kept")
    record_with_file(person, b"lost", with_file=False)
    file_save(stray_key(person.username), ContentFile(b"orphan"))
    before = everything()

    result = run_command("media_check")

    assert result.exit_code == 1
    assert everything() == before
    assert "Stopped" not in result.output
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}


def test_a_missing_file_is_found_although_a_job_adds_a_record_during_the_scan(person, settings):
    """The cheap "every live record has its file" shortcut must count records added meanwhile
    (media_check leaves the jobs running). Local storage: its folders are listed as the walk
    reaches them, so a file added to a folder not yet reached is listed."""
    record_with_file(person, b"present")
    lost = record_with_file(person, b"lost", with_file=False)
    latecomer = PersonFactory(username="zz_latecomer")
    (settings.MEDIA_ROOT / "people" / latecomer.username).mkdir(parents=True)

    def progress(label: str, total: int | None) -> Progress:
        bar = Progress(label, total, stream=_Null(), tty=False)
        if label == "Listing storage":

            def advance(count: int = 1) -> None:
                if not MediaRecord.objects.filter(person=latecomer).exists():
                    record_with_file(latecomer, b"captured while checking")

            bar.advance = advance
        return bar

    report = integrity_check(batch_size=1, progress=progress)

    assert [row["key"] for row in report.missing] == [lost.file_path]


def test_a_missing_file_is_found_although_a_record_is_deleted_during_the_scan(person):
    record_with_file(person, b"present")
    lost = record_with_file(person, b"lost", with_file=False)
    deleted_meanwhile = record_with_file(person, b"deleted meanwhile")

    def progress(label: str, total: int | None) -> Progress:
        bar = Progress(label, total, stream=_Null(), tty=False)
        if label == "Listing storage":

            def advance(count: int = 1) -> None:
                MediaRecord.objects.filter(pk=deleted_meanwhile.pk).update(deleted_at=timezone.now())

            bar.advance = advance
        return bar

    report = integrity_check(batch_size=10, progress=progress)

    assert [row["key"] for row in report.missing] == [lost.file_path]


class _Null:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_a_live_record_whose_file_sits_only_in_quarantine_is_missing(storage_kind, settings):
    person = PersonFactory()
    record = record_with_file(person, b"moved away")
    media_soft_delete(record=record)
    MediaRecord.objects.filter(pk=record.pk).update(deleted_at=None)  # restored without its file

    assert run_command("media_check").exit_code == 1
    assert [row["key"] for row in latest_report(settings)["missing"]] == [record.file_path]


def test_a_record_outside_the_people_folder_with_its_file_is_not_missing(storage_kind, settings):
    person = PersonFactory()
    record = record_with_file(person, b"legacy")
    legacy_key = media_key(
        username=person.username,
        source="x",
        captured_at=datetime(2020, 1, 1, tzinfo=UTC),
        sha256="ab",
        ext="jpg",
    ).replace("people/", "legacy/")
    file_save(legacy_key, ContentFile(b"legacy"))
    file_delete(record.file_path)
    MediaRecord.objects.filter(pk=record.pk).update(file_path=legacy_key)

    assert run_command("media_check").exit_code == 0
    assert latest_report(settings)["summary"]["files"] == 0


@pytest.mark.s3
def test_folder_markers_that_s3_tools_leave_are_not_unregistered_files(s3_server, s3_storage, settings):
    person = PersonFactory()
    record_with_file(person, b"kept")
    for folder in (f"{people_prefix()}{person.username}/", quarantine_prefix()):
        s3_server.client().put_object(Bucket=settings.S3_BUCKET, Key=folder, Body=b"")

    result = run_command("media_check")

    assert result.exit_code == 0, result.output
    summary = latest_report(settings)["summary"]
    assert (summary["files"], summary["unregistered"], summary["quarantine_files"]) == (1, 0, 0)
