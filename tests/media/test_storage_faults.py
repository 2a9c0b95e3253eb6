"""Storage errors during the maintenance commands (an unreachable server, a refused delete):
each is caught for the one item it hit, the run goes on, writes its summary and report, exits 1
and keeps the media jobs stopped; the next run finishes the job and nothing is ever lost."""

import io
import json

import pytest
from django.conf import settings
from django.utils import timezone

import media.services.moves
from events.models import Event
from media.keys import media_key, quarantine_key
from media.models import MediaJob, MediaMove, MediaRecord
from media.services import move_verified
from media.storage import file_chunks, file_exists, file_save
from tests.factories import PersonFactory
from tests.media.conftest import image_bytes
from tests.media.faulty_storage import UnreachableStorage
from tests.media.maintenance_helpers import record_with_file, run_command

pytestmark = pytest.mark.django_db

RED, GREEN = image_bytes((200, 0, 0)), image_bytes((0, 200, 0))


def read(key: str) -> bytes:
    return b"".join(file_chunks(key))


@pytest.fixture
def unreachable(settings, tmp_path):
    """Local storage that refuses the requests for keys containing one of the returned set."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.faulty_storage.UnreachableStorage",
            "OPTIONS": {"location": str(tmp_path / "unreachable")},
        },
    }
    UnreachableStorage.failing = set()
    UnreachableStorage.failing_operations = {"open", "save", "delete"}
    yield UnreachableStorage.failing
    UnreachableStorage.failing = set()


def latest_report(name: str) -> dict:
    return json.loads(sorted(settings.REPORTS_DIR.glob(f"{name}-2*.json"))[-1].read_text())


def jobs_states() -> set[str]:
    return set(MediaJob.objects.values_list("state", flat=True))


def test_a_refused_delete_during_dedup_is_reported_and_finished_by_the_next_run(unreachable):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    alice_red = [record_with_file(alice, RED) for _ in range(2)]
    bob_green = [record_with_file(bob, GREEN) for _ in range(2)]
    unreachable.add(alice_red[1].file_path)
    UnreachableStorage.failing_operations = {"delete"}

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 1
    assert "stays until the next run" in run.output
    assert "The media jobs stay stopped" in run.output
    assert jobs_states() == {MediaJob.State.STOPPED}
    report = latest_report("media-dedup")
    assert report["summary"]["duplicate groups"] == 2
    assert report["problems"]
    # Both groups merged: the refused original is still there, next to its verified copy.
    assert MediaRecord.objects.live().count() == 2
    assert read(alice_red[1].file_path) == RED
    assert read(quarantine_key(alice_red[1].file_path)) == RED
    assert not file_exists(bob_green[1].file_path)

    unreachable.clear()
    again = run_command("media_dedup", "--apply")

    assert again.exit_code == 0, again.output
    assert not file_exists(alice_red[1].file_path)
    assert read(quarantine_key(alice_red[1].file_path)) == RED
    assert not MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).exists()
    assert jobs_states() == {MediaJob.State.STARTED}  # stopped by the first run, started again


def test_a_copy_that_fails_leaves_that_duplicate_live_and_the_others_merged(unreachable):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    alice_red = [record_with_file(alice, RED) for _ in range(2)]
    bob_green = [record_with_file(bob, GREEN) for _ in range(2)]
    unreachable.add(quarantine_key(alice_red[1].file_path))
    UnreachableStorage.failing_operations = {"save"}

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 1
    assert "connection refused" in run.output
    assert set(MediaRecord.objects.live()) == {*alice_red, bob_green[0]}
    assert read(alice_red[1].file_path) == RED
    assert latest_report("media-dedup")["summary"]["records soft-deleted"] == 1


def test_dedup_records_one_event_per_person_listing_each_merged_group(storage_kind):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    reds = [record_with_file(alice, RED) for _ in range(3)]
    greens = [record_with_file(alice, GREEN) for _ in range(2)]
    bobs = [record_with_file(bob, RED) for _ in range(2)]

    assert run_command("media_dedup", "--apply").exit_code == 0

    [event] = Event.objects.filter(kind="media.deduplicated", person_id=alice.pk)
    assert (event.actor_kind, event.actor_name) == ("command", "media_dedup")
    assert event.summary == "3 duplicate image(s) merged into 2 kept images"
    groups = {group["sha256"]: group for group in event.data["groups"]}
    assert {sha: len(group["duplicates"]) for sha, group in groups.items()} == {
        reds[0].sha256: 2,
        greens[0].sha256: 1,
    }
    live = {str(pk) for pk in MediaRecord.objects.live().values_list("pk", flat=True)}
    assert {group["kept"] for group in groups.values()} == live - {str(record.pk) for record in bobs}
    [bob_event] = Event.objects.filter(kind="media.deduplicated", person_id=bob.pk)
    assert bob_event.summary.startswith("1 duplicate image(s) merged into ")
    assert bob_event.subject_id in {str(record.pk) for record in bobs}


def test_an_unreadable_file_during_quarantine_deleted_is_reported_and_the_rest_moved(unreachable):
    person = PersonFactory()
    records = [record_with_file(person, image_bytes((n, 0, 0))) for n in range(3)]
    MediaRecord.objects.filter(pk__in=[record.pk for record in records]).update(deleted_at=timezone.now())
    unreachable.add(records[1].file_path)

    run = run_command("media_quarantine_deleted", "--apply")

    assert run.exit_code == 1
    assert "ConnectionRefusedError" in run.output
    report = latest_report("media-quarantine-deleted")
    assert report["summary"]["moved"] == 2
    assert [entry["key"] for entry in report["failed"]] == [records[1].file_path]
    unreachable.clear()
    assert read(records[1].file_path) == image_bytes((1, 0, 0))
    for record in (records[0], records[2]):
        assert not file_exists(record.file_path)
        assert file_exists(quarantine_key(record.file_path))


def test_an_unreadable_file_during_sha256_is_reported_and_the_rest_hashed(unreachable):
    person = PersonFactory()
    records = [record_with_file(person, image_bytes((n, 0, 0)), with_digest=False) for n in range(3)]
    unreachable.add(records[0].file_path)

    run = run_command("media_sha256", "--workers", "2")

    assert run.exit_code == 1
    report = latest_report("media-sha256")
    assert report["summary"]["hashed"] == 2
    assert [entry["key"] for entry in report["failed"]] == [records[0].file_path]
    assert MediaRecord.objects.filter(sha256="").count() == 1


def test_an_orphan_registered_after_its_move_was_cut_short_keeps_its_file(storage_kind, person, monkeypatch):
    # media_orphans quarantine was cut short after verifying its copy (before deleting the
    # original); the owner then registered the file. The next command must not delete it.
    key = media_key(
        username=person.username,
        source="affiliate_api",
        captured_at=timezone.now(),
        sha256="ab" * 32,
        ext="jpg",
    )
    file_save(key, io.BytesIO(RED))

    def killed(target):
        raise Killed

    monkeypatch.setattr(media.services.moves, "file_delete", killed)
    with pytest.raises(Killed):
        move_verified(source=key, target=quarantine_key(key, folder="orphans"), reason="orphan")
    monkeypatch.undo()
    assert MediaMove.objects.get().state == "verified"
    register = run_command("media_orphans", "register", "--apply", "--min-age", "0")
    assert register.exit_code == 0, register.output
    record = MediaRecord.objects.get(file_path=key)

    run = run_command("media_quarantine_deleted", "--apply")

    assert run.exit_code == 0, run.output
    assert read(record.file_path) == RED
    assert not file_exists(quarantine_key(key, folder="orphans"))
    assert MediaMove.objects.get().state == "rolled_back"


class Killed(BaseException):
    """The process killed mid-move (nothing may catch it)."""


def test_leave_jobs_stopped_keeps_them_stopped_after_a_clean_run(storage_kind, person):
    record_with_file(person, RED, with_digest=False)
    run = run_command("media_sha256", "--leave-jobs-stopped")
    assert run.exit_code == 0, run.output
    assert "stay stopped (--leave-jobs-stopped)" in run.output
    assert jobs_states() == {MediaJob.State.STOPPED}


@pytest.mark.s3
def test_s3_requests_are_retried_with_backoff_as_configured(s3_server, settings):
    from mhc.storage_config import s3_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket="retry-bucket",
            endpoint_url=s3_server.endpoint_url,
            region="us-east-1",
            access_key="a",
            secret_key="b",
            retry_mode="adaptive",
            max_attempts=7,
        ),
    }
    from django.core.files.storage import default_storage

    from media.storage import s3_client

    config = s3_client(default_storage).meta.config
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    with pytest.raises(ValueError, match="retry mode"):
        s3_storage(
            bucket="b", endpoint_url=None, region="r", access_key=None, secret_key=None, retry_mode="x"
        )
