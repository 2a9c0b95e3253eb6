"""`media_quarantine_deleted`: files of soft-deleted records still at their key go to quarantine
by a verified move; a dry run changes nothing; a copy that does not verify leaves the original."""

import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from media.keys import quarantine_key
from media.models import MediaJob, MediaMove, MediaRecord
from media.services import media_soft_delete
from media.storage import file_copy, file_delete, file_exists, file_open, file_save, files_under
from tests.factories import PersonFactory
from tests.media.maintenance_helpers import (
    interrupted_move,
    jobs_stopped_then_restarted,
    record_with_file,
    run_command,
)

pytestmark = pytest.mark.django_db


def latest_report(settings) -> dict:
    path = sorted(settings.REPORTS_DIR.glob("media-quarantine-deleted-*.json"))[-1]
    return json.loads(path.read_text())


def deleted_in_place(person, content: bytes, **options) -> MediaRecord:
    """A record soft-deleted before files were quarantined: its file is still at its key."""
    record = record_with_file(person, content, **options)
    MediaRecord.objects.filter(pk=record.pk).update(deleted_at=timezone.now())
    record.refresh_from_db()
    return record


def read(key: str) -> bytes:
    with file_open(key) as handle:
        return handle.read()


def library() -> tuple[list, list, list]:
    files = sorted((stored.key, stored.size) for stored in files_under(""))
    rows = sorted(MediaRecord.objects.values_list("id", "file_path", "deleted_at", "sha256"))
    moves = list(MediaMove.objects.values_list("id", "state"))
    return files, rows, moves


def test_a_dry_run_lists_what_would_move_and_changes_nothing(storage_kind, person, settings):
    first = deleted_in_place(person, b"first")
    second = deleted_in_place(PersonFactory(), b"second")
    media_soft_delete(record=record_with_file(person, b"already quarantined"))
    before = library()

    result = run_command("media_quarantine_deleted")

    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert f"Would move {first.file_path} → {quarantine_key(first.file_path)}" in result.output
    assert f"Would move {second.file_path} → {quarantine_key(second.file_path)}" in result.output
    assert library() == before
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}
    report = latest_report(settings)
    assert report["applied"] is False
    assert sorted(move["key"] for move in report["moves"]) == sorted([first.file_path, second.file_path])
    assert (report["summary"]["to_move"], report["summary"]["already_quarantined"]) == (2, 1)


def test_apply_moves_each_file_into_quarantine_verified_and_stops_the_jobs(storage_kind, person, settings):
    records = [deleted_in_place(person, f"deleted {index}".encode()) for index in range(3)]
    quarantined_before = record_with_file(person, b"deleted the usual way")
    media_soft_delete(record=quarantined_before)
    live = record_with_file(person, b"live")

    result = run_command("media_quarantine_deleted", "--apply", "--batch-size", "2")

    assert result.exit_code == 0, result.output
    assert "Stopped the media-creating jobs" in result.output
    assert jobs_stopped_then_restarted(result.output)
    for index, record in enumerate(records):
        assert not file_exists(record.file_path)
        assert read(quarantine_key(record.file_path)) == f"deleted {index}".encode()
        move = MediaMove.objects.get(record=record)
        assert (move.state, move.reason, move.sha256) == ("done", "quarantine-deleted", record.sha256)
    assert MediaMove.objects.filter(record=quarantined_before).count() == 1  # its soft-delete only
    assert read(live.file_path) == b"live"
    summary = latest_report(settings)["summary"]
    assert (summary["moved"], summary["already_quarantined"], summary["failed"]) == (3, 1, 0)

    again = run_command("media_quarantine_deleted", "--apply")

    assert again.exit_code == 0, again.output
    summary = latest_report(settings)["summary"]
    assert (summary["moved"], summary["already_quarantined"]) == (0, 4)


def test_a_copy_that_does_not_verify_leaves_the_original(person, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.faulty_storage.CorruptingCopyStorage",
            "OPTIONS": {"location": str(tmp_path / "faulty")},
        },
    }
    record = deleted_in_place(person, b"precious bytes")

    result = run_command("media_quarantine_deleted", "--apply")

    assert result.exit_code == 1
    assert "could not be moved" in result.output
    assert f"Left {record.file_path} where it is" in result.output
    assert read(record.file_path) == b"precious bytes"
    assert not file_exists(quarantine_key(record.file_path))
    assert MediaMove.objects.get(record=record).state == "rolled_back"
    [failure] = latest_report(settings)["failed"]
    assert failure["key"] == record.file_path
    assert "did not verify" in failure["error"]


def test_a_different_file_already_in_quarantine_leaves_both_alone(storage_kind, person, settings):
    record = deleted_in_place(person, b"the original")
    file_save(quarantine_key(record.file_path), ContentFile(b"something else"))

    result = run_command("media_quarantine_deleted", "--apply")

    assert result.exit_code == 1
    assert read(record.file_path) == b"the original"
    assert read(quarantine_key(record.file_path)) == b"something else"
    assert "different file" in latest_report(settings)["failed"][0]["error"]


def test_an_identical_copy_left_in_quarantine_counts_as_the_copy(storage_kind, person, settings):
    record = deleted_in_place(person, b"copied, then cut short")
    file_copy(record.file_path, quarantine_key(record.file_path))

    assert run_command("media_quarantine_deleted", "--apply").exit_code == 0
    assert not file_exists(record.file_path)
    assert read(quarantine_key(record.file_path)) == b"copied, then cut short"


def journal(record: MediaRecord, state: str, *, minutes_ago: float = 30) -> MediaMove:
    """A journal entry as a crashed process would have left it."""
    return interrupted_move(record, state, reason="quarantine-deleted", minutes_ago=minutes_ago)


def test_an_interrupted_run_is_finished_first_and_the_rerun_converges(storage_kind, person, settings):
    # Cut short after the copy was verified, a while ago: recovery removes the original.
    verified = deleted_in_place(person, b"verified copy")
    file_copy(verified.file_path, quarantine_key(verified.file_path))
    journal(verified, MediaMove.State.VERIFIED, minutes_ago=30)
    # Cut short seconds ago, mid-copy: a truncated copy that recovery of the record rolls back.
    mid_copy = deleted_in_place(person, b"half copied")
    file_save(quarantine_key(mid_copy.file_path), ContentFile(b"half"))
    cut_short = journal(mid_copy, MediaMove.State.COPIED, minutes_ago=0)
    untouched = deleted_in_place(person, b"not reached")

    result = run_command("media_quarantine_deleted", "--apply")

    assert result.exit_code == 0, result.output
    for record, content in (
        (verified, b"verified copy"),
        (mid_copy, b"half copied"),
        (untouched, b"not reached"),
    ):
        assert not file_exists(record.file_path)
        assert read(quarantine_key(record.file_path)) == content
    cut_short.refresh_from_db()
    assert cut_short.state == "rolled_back"
    report = latest_report(settings)
    assert {(outcome["source_key"], outcome["action"]) for outcome in report["recovered"]} == {
        (verified.file_path, "finished"),
        (mid_copy.file_path, "rolled back"),
    }
    assert (report["summary"]["moved"], report["summary"]["already_quarantined"]) == (2, 1)
    assert not MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).exists()


def test_a_deleted_record_with_no_file_anywhere_is_reported(storage_kind, person, settings):
    lost = deleted_in_place(person, b"gone", with_file=False)
    quarantined_then_lost = record_with_file(person, b"lost in quarantine")
    media_soft_delete(record=quarantined_then_lost)
    file_delete(quarantine_key(quarantined_then_lost.file_path))

    result = run_command("media_quarantine_deleted", "--apply")

    assert result.exit_code == 0, result.output
    report = latest_report(settings)
    assert sorted(row["key"] for row in report["no_file"]) == sorted(
        [lost.file_path, quarantined_then_lost.file_path]
    )
    assert MediaRecord.objects.count() == 2


def test_the_file_at_a_key_a_live_record_now_uses_is_never_moved(storage_kind, person, settings):
    old = deleted_in_place(person, b"same bytes", with_file=False)
    live = record_with_file(person, b"same bytes", captured_at=old.captured_at)
    assert live.file_path == old.file_path

    result = run_command("media_quarantine_deleted", "--apply")

    assert result.exit_code == 0, result.output
    assert read(live.file_path) == b"same bytes"
    assert not file_exists(quarantine_key(live.file_path))
    assert [row["id"] for row in latest_report(settings)["key_used_by_live_record"]] == [str(old.id)]


def test_two_deleted_records_of_one_key_move_the_file_once(storage_kind, person, settings):
    first = deleted_in_place(person, b"shared")
    second = MediaRecord.objects.create(
        person=person, source=first.source, file_path=first.file_path, deleted_at=timezone.now()
    )
    other_folder = deleted_in_place(PersonFactory(), b"elsewhere")

    result = run_command("media_quarantine_deleted", "--apply", "--batch-size", "1")

    assert result.exit_code == 0, result.output
    assert read(quarantine_key(first.file_path)) == b"shared"
    assert read(quarantine_key(other_folder.file_path)) == b"elsewhere"
    assert not file_exists(first.file_path)
    summary = latest_report(settings)["summary"]
    assert (summary["moved"], summary["already_quarantined"], summary["failed"]) == (2, 1, 0)
    assert MediaMove.objects.filter(record__in=[first, second]).count() == 1


def _statements(work) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def test_a_batch_of_moves_costs_the_same_statements_whatever_its_number_of_files(storage_kind, person):
    from media.maintenance.quarantine import deleted_files_quarantine

    def quarantine_new(count: int) -> int:
        records = [deleted_in_place(person, f"file {count} {n}".encode()) for n in range(count)]
        statements = _statements(lambda: deleted_files_quarantine(apply=True, workers=2))
        assert all(not file_exists(record.file_path) for record in records)
        assert MediaMove.objects.filter(state="done").count() == MediaRecord.objects.count()
        return statements

    assert quarantine_new(2) == quarantine_new(9)


def test_a_record_restored_while_its_batch_was_copied_keeps_its_file_and_the_others_move(person, monkeypatch):
    import media.services.bulk_moves
    from media.maintenance.quarantine import deleted_files_quarantine

    records = [deleted_in_place(person, f"file {n}".encode()) for n in range(3)]
    copies_settled = media.services.bulk_moves._mark_rolled_back

    def restore_once_copied(failed):
        # Once the batch's copies are made, before the transaction that lets the originals go.
        MediaRecord.objects.filter(pk=records[1].pk).update(deleted_at=None)
        return copies_settled(failed)

    monkeypatch.setattr(media.services.bulk_moves, "_mark_rolled_back", restore_once_copied)
    report = deleted_files_quarantine(apply=True, workers=1)

    assert [row["key"] for row in report.failed] == [records[1].file_path], report.failed
    assert "restored meanwhile" in report.failed[0]["error"]
    assert MediaMove.objects.get(record=records[1]).state == "rolled_back"
    assert read(records[1].file_path) == b"file 1"
    assert not file_exists(quarantine_key(records[1].file_path))
    assert {row["key"] for row in report.moves} == {records[0].file_path, records[2].file_path}
