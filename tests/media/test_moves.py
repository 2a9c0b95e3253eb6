"""Journalled, verified moves: a move cut short at any step is finished or rolled back by the
next run, and no step ever leaves a file in no place."""

import io
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

import media.services.moves
from media.keys import quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.services import MoveError, media_create, move_verified, moves_recover
from media.services.leases import _start_ticks, lease_expiry
from media.services.moves import MoveUnderWay, target_taken
from media.storage import file_copy, file_digest, file_exists, file_save
from tests.media.conftest import image_bytes
from tests.media.maintenance_helpers import interrupted_move, recovered_elsewhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(person) -> MediaRecord:
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))
    return record


def journal(record: MediaRecord, state: str, *, minutes_ago: float = 30) -> MediaMove:
    """A journal entry as a crashed process would have left it."""
    return interrupted_move(record, state, reason="soft-delete", minutes_ago=minutes_ago)


def test_a_move_cut_short_after_the_copy_is_rolled_back(storage_kind, record):
    file_copy(record.file_path, quarantine_key(record.file_path))
    move = journal(record, MediaMove.State.COPIED)
    [outcome] = moves_recover()
    assert outcome.action == "rolled back"
    assert file_exists(record.file_path)
    assert not file_exists(quarantine_key(record.file_path))
    move.refresh_from_db()
    assert move.state == "rolled_back"


def test_a_move_cut_short_after_the_verification_is_finished(storage_kind, record):
    file_copy(record.file_path, quarantine_key(record.file_path))
    MediaRecord.objects.filter(pk=record.pk).update(deleted_at=timezone.now())  # committed with "verified"
    journal(record, MediaMove.State.VERIFIED)
    [outcome] = moves_recover()
    assert outcome.action == "finished"
    assert not file_exists(record.file_path)
    assert file_digest(quarantine_key(record.file_path)).sha256 == record.sha256
    assert MediaMove.objects.get().state == "done"


def test_a_verified_move_whose_copy_vanished_is_flagged_and_the_original_kept(record):
    journal(record, MediaMove.State.VERIFIED)
    [outcome] = moves_recover()
    assert outcome.action == "needs attention"
    assert file_exists(record.file_path)
    assert MediaMove.objects.get().state == "failed"


def test_recovery_leaves_a_move_another_running_process_holds_and_takes_it_once_that_ends(record):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        move = journal(record, MediaMove.State.INTENT, minutes_ago=0)
        holder = f"{socket.gethostname()}:{other.pid}:{_start_ticks(other.pid)}"
        MediaMove.objects.filter(pk=move.pk).update(lease_holder=holder, lease_expires_at=lease_expiry())
        [outcome] = moves_recover()
        assert outcome.action == "in progress elsewhere"
        assert MediaMove.objects.get().state == "intent"
    finally:
        other.kill()
        other.wait()
    # Killed: its moves are recovered at once, however recent.
    [outcome] = moves_recover()
    assert outcome.action == "rolled back"


def test_a_lease_from_another_machine_counts_until_it_expires(record):
    move = journal(record, MediaMove.State.INTENT, minutes_ago=0)
    MediaMove.objects.filter(pk=move.pk).update(
        lease_holder="elsewhere:123:456", lease_expires_at=timezone.now() + timedelta(minutes=1)
    )
    assert [outcome.action for outcome in moves_recover()] == ["in progress elsewhere"]
    MediaMove.objects.filter(pk=move.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert [outcome.action for outcome in moves_recover()] == ["rolled back"]


def test_a_verified_orphan_move_is_rolled_back_when_the_file_was_registered_meanwhile(storage_kind, person):
    # An orphan's move cut short after its copy was verified; then `media_orphans register`
    # gave the file a record. Finishing the move would delete the new record's file.
    key = "people/" + person.username + "/affiliate_api/" + person.username + "_1700000000_abcdef12.jpg"
    content = image_bytes(color=(1, 2, 3))
    file_save(key, io.BytesIO(content))
    target = quarantine_key(key, folder="orphans")
    file_copy(key, target)
    digest = file_digest(key)
    MediaMove.objects.create(
        source_key=key,
        target_key=target,
        reason="orphan",
        size_bytes=digest.size,
        sha256=digest.sha256,
        state=MediaMove.State.VERIFIED,
    )
    MediaRecord.objects.create(person=person, source="affiliate_api", file_path=key, sha256=digest.sha256)
    [outcome] = moves_recover()
    assert outcome.action == "rolled back"
    assert file_digest(key).sha256 == digest.sha256
    assert not file_exists(target)
    assert MediaMove.objects.get().state == "rolled_back"


def test_a_verified_move_of_a_record_restored_meanwhile_keeps_the_original(storage_kind, record):
    file_copy(record.file_path, quarantine_key(record.file_path))
    journal(record, MediaMove.State.VERIFIED)  # the record is live: not what the move was for
    [outcome] = moves_recover()
    assert outcome.action == "rolled back"
    assert file_exists(record.file_path)
    assert not file_exists(quarantine_key(record.file_path))


def test_a_storage_error_during_recovery_is_reported_and_the_move_left_for_the_next_run(record, monkeypatch):
    import media.services.moves

    journal(record, MediaMove.State.INTENT)

    def refused(key):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(media.services.moves, "file_exists", refused)
    [outcome] = moves_recover()
    assert outcome.action == "needs attention"
    assert "connection refused" in outcome.detail
    move = MediaMove.objects.get()
    assert (move.state, move.lease_holder) == ("intent", "")
    monkeypatch.undo()
    assert [outcome.action for outcome in moves_recover()] == ["rolled back"]


def test_an_identical_file_already_at_the_target_counts_as_the_copy(storage_kind, record):
    target = quarantine_key(record.file_path)
    file_copy(record.file_path, target)
    move = move_verified(source=record.file_path, target=target, reason="test")
    assert move.state == "done"
    assert move.target_preexisted
    assert not file_exists(record.file_path)
    assert file_exists(target)


def test_a_different_file_at_the_target_stops_the_move(record):
    target = quarantine_key(record.file_path)
    file_save(target, io.BytesIO(b"something else"))
    with pytest.raises(MoveError, match="different file"):
        move_verified(source=record.file_path, target=target, reason="test")
    assert file_exists(record.file_path)
    assert not MediaMove.objects.exists()


def test_no_move_starts_to_a_place_another_move_is_making(storage_kind, record):
    target = quarantine_key(record.file_path)
    other = MediaMove.objects.create(  # another process's move to the same place, under way
        source_key="people/someone/upload/x.jpg",
        target_key=target,
        reason="test",
        size_bytes=1,
        sha256="0" * 64,
        lease_holder="elsewhere:123:456",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    with pytest.raises(MoveUnderWay, match="under way"):
        move_verified(source=record.file_path, target=target, reason="test")
    assert file_digest(record.file_path).sha256 == record.sha256
    assert not file_exists(target)
    assert list(MediaMove.objects.all()) == [other]

    # Finished (here: rolled back), the place is free again.
    MediaMove.objects.filter(pk=other.pk).update(state=MediaMove.State.ROLLED_BACK)
    assert move_verified(source=record.file_path, target=target, reason="test").state == "done"


def test_a_failing_database_change_undoes_the_copy(record):
    def refuse():
        raise RuntimeError("database said no")

    target = quarantine_key(record.file_path)
    with pytest.raises(RuntimeError, match="database said no"):
        move_verified(source=record.file_path, target=target, reason="test", on_verified=refuse)
    assert file_exists(record.file_path)
    assert not file_exists(target)
    assert MediaMove.objects.get().state == "rolled_back"


def test_moving_a_missing_file_is_an_error(record):
    with pytest.raises(MoveError, match="no file"):
        move_verified(source="people/nobody/upload/x.jpg", target="QUARANTINE/x.jpg", reason="test")


def test_a_move_taken_over_by_recovery_elsewhere_is_left_to_it_and_the_original_kept(record, monkeypatch):
    # This process's lease expired while it copied (a stalled storage, say), and recovery on
    # another machine took the move over and rolled it back: carrying on would delete the
    # original with no verified copy left.
    copy = media.services.moves.file_copy
    recovered = []

    def copy_then_stall(source, target):
        copy(source, target)
        recovered.extend(recovered_elsewhere(monkeypatch))

    monkeypatch.setattr(media.services.moves, "file_copy", copy_then_stall)
    target = quarantine_key(record.file_path)
    deleted = []

    with pytest.raises(MoveError, match="taken over by recovery"):
        move_verified(
            source=record.file_path, target=target, reason="test", on_verified=lambda: deleted.append(1)
        )

    assert [outcome.action for outcome in recovered] == ["rolled back"]
    assert not deleted  # the database change was never made
    assert file_digest(record.file_path).sha256 == record.sha256
    move = MediaMove.objects.get()
    assert (move.state, move.lease_holder) == ("rolled_back", "")


def test_recovery_does_not_take_over_a_move_whose_lease_was_renewed_since_it_read_it(record):
    move = journal(record, MediaMove.State.INTENT, minutes_ago=0)
    expired = timezone.now() - timedelta(seconds=1)
    MediaMove.objects.filter(pk=move.pk).update(lease_holder="elsewhere:123:456", lease_expires_at=expired)
    read = MediaMove.objects.get(pk=move.pk)
    MediaMove.objects.filter(pk=move.pk).update(lease_expires_at=lease_expiry())  # renewed meanwhile

    assert not media.services.moves._take_over(read)
    assert MediaMove.objects.get(pk=move.pk).lease_holder == "elsewhere:123:456"
    assert read.lease_holder == "elsewhere:123:456"  # as reported: "held by elsewhere:123:456"


def test_only_the_journals_one_move_a_place_rule_reads_as_a_move_under_way():
    assert target_taken(IntegrityError("UNIQUE constraint failed: media_move_journal.target_key"))
    assert target_taken(
        IntegrityError(
            'duplicate key value violates unique constraint "media_move_one_unfinished_per_target"'
        )
    )
    assert not target_taken(IntegrityError("FOREIGN KEY constraint failed"))
