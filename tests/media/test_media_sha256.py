"""`media_sha256`: fills the blank sha256 and size of records (live and soft-deleted) from their
files, flags missing files, and converges when re-run after an interruption."""

import hashlib
import json
import threading

import pytest
from django.utils import timezone

from media.maintenance import hashing
from media.models import MediaJob, MediaRecord
from media.services import media_soft_delete
from media.storage import file_delete, file_digest
from tests.factories import PersonFactory
from tests.media.maintenance_helpers import jobs_stopped_then_restarted, record_with_file, run_command

pytestmark = pytest.mark.django_db


def latest_report(settings) -> dict:
    [path] = sorted(settings.REPORTS_DIR.glob("media-sha256-*.json"))[-1:]
    return json.loads(path.read_text())


def digest_of(record: MediaRecord) -> tuple[str, int | None]:
    record.refresh_from_db()
    return record.sha256, record.size_bytes


def expected(content: bytes) -> tuple[str, int]:
    return hashlib.sha256(content).hexdigest(), len(content)


def blank_records(person, count: int) -> dict:
    """`count` records of `person` with files and no digest: {pk: content}."""
    contents = {}
    for i in range(count):
        content = f"image {i}".encode()
        contents[record_with_file(person, content, with_digest=False).pk] = content
    return contents


def test_sha256_fills_blank_records_live_and_deleted_and_leaves_filled_ones(storage_kind, person, settings):
    blank = record_with_file(person, b"blank", with_digest=False)
    no_size = record_with_file(person, b"no size")
    MediaRecord.objects.filter(pk=no_size.pk).update(size_bytes=None)
    quarantined = record_with_file(person, b"quarantined", with_digest=False)
    media_soft_delete(record=quarantined)
    never_moved = record_with_file(person, b"deleted before quarantine", with_digest=False)
    MediaRecord.objects.filter(pk=never_moved.pk).update(deleted_at=timezone.now())
    # A filled record is never read: its file being gone must not matter.
    filled = record_with_file(person, b"filled")
    file_delete(filled.file_path)

    result = run_command("media_sha256")

    assert result.exit_code == 0, result.output
    assert digest_of(blank) == expected(b"blank")
    assert digest_of(no_size) == expected(b"no size")
    assert digest_of(quarantined) == expected(b"quarantined")
    assert digest_of(never_moved) == expected(b"deleted before quarantine")
    assert digest_of(filled) == expected(b"filled")
    report = latest_report(settings)
    assert report["summary"]["records_missing_digest"] == 4
    assert report["summary"]["hashed"] == 4
    assert report["missing"] == []
    assert "hashed" in result.output


def test_sha256_stops_the_media_jobs_and_says_so(storage_kind, person):
    record_with_file(person, b"x", with_digest=False)
    result = run_command("media_sha256")
    assert result.exit_code == 0, result.output
    assert "Stopped the media-creating jobs" in result.output
    assert jobs_stopped_then_restarted(result.output)


def test_a_missing_file_is_flagged_never_deleted_and_fails_the_run(storage_kind, person, settings):
    present = record_with_file(person, b"present", with_digest=False)
    missing = record_with_file(person, b"never stored", with_digest=False, with_file=False)
    gone_deleted = record_with_file(person, b"gone and deleted", with_digest=False, with_file=False)
    MediaRecord.objects.filter(pk=gone_deleted.pk).update(deleted_at=timezone.now())

    result = run_command("media_sha256")

    assert result.exit_code == 1
    assert "1 live record(s) whose file is missing" in result.output
    assert digest_of(present) == expected(b"present")
    assert digest_of(missing) == ("", None)
    assert digest_of(gone_deleted) == ("", None)
    report = latest_report(settings)
    flagged = {(row["id"], row["key"], row["deleted"]) for row in report["missing"]}
    assert flagged == {
        (str(missing.id), missing.file_path, False),
        (str(gone_deleted.id), gone_deleted.file_path, True),
    }
    assert report["summary"]["missing_files"] == 1
    assert report["summary"]["deleted_without_file"] == 1
    assert MediaRecord.objects.count() == 3


def test_a_deleted_record_without_a_file_is_listed_but_does_not_fail_the_run(storage_kind, person, settings):
    gone_deleted = record_with_file(person, b"gone and deleted", with_digest=False, with_file=False)
    MediaRecord.objects.filter(pk=gone_deleted.pk).update(deleted_at=timezone.now())

    result = run_command("media_sha256")

    assert result.exit_code == 0
    assert [row["id"] for row in latest_report(settings)["missing"]] == [str(gone_deleted.id)]


def test_a_deleted_record_never_reads_the_file_of_a_live_record_at_its_key(storage_kind, person, settings):
    old = record_with_file(person, b"the live one", with_digest=False, with_file=False)
    MediaRecord.objects.filter(pk=old.pk).update(deleted_at=timezone.now())
    live = record_with_file(person, b"the live one", captured_at=old.captured_at)
    assert live.file_path == old.file_path

    result = run_command("media_sha256")

    assert result.exit_code == 0  # a deleted record without a file is listed, not a failure
    assert digest_of(old) == ("", None)
    assert [row["id"] for row in latest_report(settings)["missing"]] == [str(old.id)]


def test_a_filled_value_that_disagrees_with_the_file_is_kept_and_flagged(storage_kind, person, settings):
    record = record_with_file(person, b"actual bytes")
    MediaRecord.objects.filter(pk=record.pk).update(sha256="0" * 64, size_bytes=None)

    result = run_command("media_sha256")

    assert result.exit_code == 1
    assert "disagree with the file" in result.output
    assert digest_of(record) == ("0" * 64, None)
    [row] = latest_report(settings)["mismatched"]
    assert (row["id"], row["found_sha256"]) == (str(record.id), expected(b"actual bytes")[0])


def test_many_records_in_small_batches_with_several_workers_are_all_hashed(storage_kind):
    people = PersonFactory.create_batch(3)
    contents = {
        record_with_file(people[i % 3], f"file {i}".encode(), with_digest=False).pk: f"file {i}".encode()
        for i in range(23)
    }

    result = run_command("media_sha256", "--workers", "4", "--batch-size", "5")

    assert result.exit_code == 0, result.output
    for record in MediaRecord.objects.all():
        assert (record.sha256, record.size_bytes) == expected(contents[record.pk])


class StorageFault(BaseException):
    """The process killed while it reads (the fault injected to cut a run short; not an
    Exception, so nothing in the command catches it, as nothing catches a kill)."""


def failing_after(calls: int):
    """`file_digest`, except that every read after the first `calls` fails."""
    lock, count = threading.Lock(), [0]

    def digest(key):
        with lock:
            count[0] += 1
            if count[0] > calls:
                raise StorageFault(f"storage went away reading {key}")
        return file_digest(key)

    return digest


def test_an_interrupted_run_keeps_its_work_and_a_rerun_converges(storage_kind, person, settings, monkeypatch):
    contents = {
        record_with_file(person, f"image {i}".encode(), with_digest=False).pk: f"image {i}".encode()
        for i in range(7)
    }

    monkeypatch.setattr(hashing, "file_digest", failing_after(5))
    with pytest.raises(StorageFault):
        run_command("media_sha256", "--batch-size", "2", "--workers", "1")
    monkeypatch.undo()

    filled = MediaRecord.objects.exclude(sha256="").count()
    assert filled == 5  # written back in batches of 2, and the last partial batch on the way out
    for record in MediaRecord.objects.exclude(sha256=""):
        assert (record.sha256, record.size_bytes) == expected(contents[record.pk])

    result = run_command("media_sha256", "--batch-size", "2")

    assert result.exit_code == 0, result.output
    assert latest_report(settings)["summary"]["records_missing_digest"] == 2  # only the blank rows
    for record in MediaRecord.objects.all():
        assert (record.sha256, record.size_bytes) == expected(contents[record.pk])
    assert jobs_stopped_then_restarted(result.output)


def test_an_interrupted_concurrent_run_loses_nothing_and_a_rerun_converges(storage_kind, person, monkeypatch):
    contents = {
        record_with_file(person, f"pic {i}".encode(), with_digest=False).pk: f"pic {i}".encode()
        for i in range(12)
    }

    monkeypatch.setattr(hashing, "file_digest", failing_after(6))
    with pytest.raises(StorageFault):
        run_command("media_sha256", "--batch-size", "3", "--workers", "4")
    monkeypatch.undo()
    for record in MediaRecord.objects.exclude(sha256=""):
        assert (record.sha256, record.size_bytes) == expected(contents[record.pk])
    assert MediaRecord.objects.filter(sha256="").exists()

    assert run_command("media_sha256", "--workers", "4").exit_code == 0
    for record in MediaRecord.objects.all():
        assert (record.sha256, record.size_bytes) == expected(contents[record.pk])


@pytest.mark.parametrize("workers", ["0", "-2", "many"])
def test_a_bad_worker_count_is_refused_before_anything_changes(person, workers):
    record = record_with_file(person, b"x", with_digest=False)
    result = run_command("media_sha256", "--workers", workers)
    assert result.exit_code == 1
    assert "--workers" in result.output
    assert digest_of(record) == ("", None)
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}
