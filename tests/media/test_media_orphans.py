"""`media_orphans`: unregistered files found, registered to their person (or relinked to the
record that lost them), reported for review when their name says nothing usable, and moved to
quarantine only when the owner approved them, never without a verified copy."""

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from media.keys import media_key, people_prefix, quarantine_key
from media.maintenance.orphans import orphans_quarantine, parse_age
from media.models import MediaJob, MediaMove, MediaRecord, MediaSource
from media.services import media_register_file, media_soft_delete
from media.storage import digest_stream, file_copy, file_digest, file_exists, file_save, media_storage
from mhc.exceptions import ValidationError
from tests.media.conftest import image_bytes
from tests.media.maintenance_helpers import jobs_stopped_then_restarted, record_with_file, run_command

pytestmark = pytest.mark.django_db

CAPTURED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
JOBS_STOPPED = "Stopped the media-creating jobs"


def orphan(username: str, content: bytes, *, captured_at: datetime = CAPTURED, ext: str = "jpg") -> str:
    """A file in `username`'s folder, laid out as the jobs name them, that no record knows."""
    key = media_key(
        username=username,
        source=MediaSource.AFFILIATE_API,
        captured_at=captured_at,
        sha256=digest_stream([content]).sha256,
        ext=ext,
    )
    file_save(key, ContentFile(content))
    return key


def stray_file(relative: str, content: bytes = b"not named by a job") -> str:
    key = people_prefix() + relative
    file_save(key, ContentFile(content))
    return key


def read(key: str) -> bytes:
    with media_storage().open(key, "rb") as handle:
        return handle.read()


def reports(settings, name: str) -> list[Path]:
    return sorted(Path(settings.REPORTS_DIR).glob(f"{name}-2*"))


def latest_report(settings, name: str) -> dict:
    return json.loads(reports(settings, name)[-1].read_text())


def jobs_stopped() -> bool:
    return set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STOPPED}


def make_old(key: str, *, hours: float = 2) -> None:
    """Age a local file (S3 sets LastModified itself; there `--min-age 0` stands in)."""
    moment = time.time() - hours * 3600
    os.utime(media_storage().path(key), (moment, moment))


# find


def test_find_reports_every_unregistered_file_with_its_username_or_why_not(storage_kind, person, settings):
    known = record_with_file(person, image_bytes(color=(1, 2, 3)))
    named = orphan(person.username, image_bytes(color=(4, 5, 6)))
    unnamed = stray_file(f"{person.username}/affiliate_api/IMG_0001.jpg")
    stray_file(f"{person.username}/.DS_Store")
    file_save(quarantine_key(known.file_path, folder="orphans"), ContentFile(b"quarantined"))

    result = run_command("media_orphans", "find")

    assert result.exit_code == 0, result.output
    report = latest_report(settings, "orphan-files")
    by_key = {entry["key"]: entry for entry in report["files"]}
    assert set(by_key) == {named, unnamed}
    assert by_key[named]["username"] == person.username
    assert by_key[named]["size"] == len(image_bytes(color=(4, 5, 6)))
    assert by_key[named]["modified_at"]
    assert by_key[named]["unparsable"] == ""
    assert by_key[unnamed]["username"] == ""
    assert "<username>_<unixtime>_<hash>" in by_key[unnamed]["unparsable"]
    assert report["summary"]["unregistered files"] == 2
    assert JOBS_STOPPED not in result.output
    assert not jobs_stopped()


# register


def test_register_gives_each_orphan_a_record_of_its_person(storage_kind, person, settings):
    data = image_bytes(color=(10, 20, 30), image_format="PNG")
    key = orphan(person.username, data, ext="png")

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    record = MediaRecord.objects.get(file_path=key)
    digest = file_digest(key)
    assert record.person == person
    assert record.source == MediaSource.AFFILIATE_API
    assert (record.sha256, record.size_bytes) == (digest.sha256, len(data))
    assert record.captured_at == CAPTURED
    assert record.mime_type == "image/png"
    assert record.deleted_at is None
    assert [entry["key"] for entry in latest_report(settings, "orphan-register")["registered"]] == [key]
    assert jobs_stopped_then_restarted(result.output)


def test_register_twice_registers_nothing_twice(storage_kind, person, settings):
    orphan(person.username, image_bytes(color=(11, 22, 33)))
    run_command("media_orphans", "register", "--apply", "--min-age", "0")

    again = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert again.exit_code == 0, again.output
    assert MediaRecord.objects.count() == 1
    assert latest_report(settings, "orphan-register")["summary"]["registered"] == 0


def test_register_without_apply_only_says_what_it_would_do(storage_kind, person):
    key = orphan(person.username, image_bytes())

    result = run_command("media_orphans", "register", "--min-age", "0")

    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert f"would be registered: {key}" in result.output
    assert not MediaRecord.objects.exists()
    assert not jobs_stopped()


def test_a_file_with_the_bytes_of_a_missing_record_is_relinked_to_it(storage_kind, person, settings):
    data = image_bytes(color=(90, 80, 70))
    missing = record_with_file(person, data, with_file=False)
    found = orphan(person.username, data, captured_at=CAPTURED)
    assert found != missing.file_path

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    missing.refresh_from_db()
    assert missing.file_path == found
    assert MediaRecord.objects.count() == 1
    [relinked] = latest_report(settings, "orphan-register")["relinked"]
    assert relinked["record_id"] == str(missing.pk)
    assert run_command("media_orphans", "register", "--apply", "--min-age", "0").exit_code == 0
    assert MediaRecord.objects.count() == 1


def test_a_second_copy_of_an_image_the_person_has_is_reported_not_registered(storage_kind, person, settings):
    data = image_bytes(color=(5, 5, 5))
    kept = record_with_file(person, data)
    copy = orphan(person.username, data)

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    assert list(MediaRecord.objects.values_list("pk", flat=True)) == [kept.pk]
    [duplicate] = latest_report(settings, "orphan-register")["duplicates"]
    assert (duplicate["key"], duplicate["duplicate_of"]) == (copy, kept.file_path)
    assert file_exists(copy)


def test_a_copy_of_an_image_the_owner_deleted_is_left_for_review_not_brought_back(
    storage_kind, person, settings
):
    data = image_bytes(color=(9, 9, 9))
    deleted = media_soft_delete(record=record_with_file(person, data))
    copy = orphan(person.username, data)

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    assert not MediaRecord.objects.live().exists()
    [review] = latest_report(settings, "unregistered-unknown-username")["files"]
    assert review["key"] == copy
    assert "which the owner deleted" in review["reason"]
    assert deleted.file_path in review["reason"]
    assert file_exists(copy)


def test_two_unregistered_copies_of_one_image_make_one_record_and_the_dry_run_says_so(
    storage_kind, person, settings
):
    data = image_bytes(color=(6, 6, 6))
    orphan(person.username, data, captured_at=CAPTURED)
    orphan(person.username, data, captured_at=CAPTURED + timedelta(seconds=1))

    run_command("media_orphans", "register", "--min-age", "0")
    planned = latest_report(settings, "orphan-register")
    run_command("media_orphans", "register", "--apply", "--min-age", "0")
    applied = latest_report(settings, "orphan-register")

    assert MediaRecord.objects.count() == 1
    for report in (planned, applied):
        assert (len(report["registered"]), len(report["duplicates"])) == (1, 1)


def test_unknown_usernames_and_unusable_names_go_to_the_review_report(storage_kind, person, settings):
    stranger = orphan("nobody_we_know", image_bytes(color=(1, 1, 1)))
    unnamed = stray_file(f"{person.username}/affiliate_api/IMG_0001.jpg")
    not_an_image = stray_file(f"{person.username}/affiliate_api/{person.username}_1714564800_abcdef12.txt")

    result = run_command("media_orphans", "register", "--apply", "--min-age", "0")

    assert result.exit_code == 0, result.output
    assert not MediaRecord.objects.exists()
    review = latest_report(settings, "unregistered-unknown-username")
    reasons = {entry["key"]: entry["reason"] for entry in review["files"]}
    assert set(reasons) == {stranger, unnamed, not_an_image}
    assert "no person is named 'nobody_we_know'" in reasons[stranger]
    assert "<username>_<unixtime>_<hash>" in reasons[unnamed]
    assert "extension" in reasons[not_an_image]
    assert str(reports(settings, "unregistered-unknown-username")[-1]) in result.output


def test_files_younger_than_the_minimum_age_are_left_alone(storage_kind, person, settings):
    key = orphan(person.username, image_bytes())

    young = run_command("media_orphans", "register", "--apply")

    assert young.exit_code == 0, young.output
    assert not MediaRecord.objects.exists()
    assert [entry["key"] for entry in latest_report(settings, "orphan-register")["too_young"]] == [key]
    run_command("media_orphans", "register", "--apply", "--min-age", "0")
    assert MediaRecord.objects.filter(file_path=key).exists()


def test_a_file_older_than_the_minimum_age_is_registered(person):
    key = orphan(person.username, image_bytes())
    make_old(key, hours=2)

    run_command("media_orphans", "register", "--apply", "--min-age", "3h")
    assert not MediaRecord.objects.exists()
    run_command("media_orphans", "register", "--apply")
    assert MediaRecord.objects.filter(file_path=key).exists()


def test_minimum_ages_take_seconds_or_units_and_refuse_anything_else():
    hour = timedelta(hours=1)
    assert parse_age("3600") == parse_age("3600s") == parse_age("60m") == parse_age("1h") == hour
    assert parse_age("30m") == timedelta(minutes=30)
    assert parse_age("0") == timedelta(0)
    for garbage in ("soon", "-5", "1 hour", "2w", ""):
        with pytest.raises(ValueError, match="is not a duration"):
            parse_age(garbage)


def test_register_refuses_a_garbage_minimum_age_before_stopping_anything(person):
    orphan(person.username, image_bytes())

    result = run_command("media_orphans", "register", "--apply", "--min-age", "soon")

    assert result.exit_code == 1
    assert "is not a duration" in result.output
    assert not jobs_stopped()
    assert not MediaRecord.objects.exists()


# quarantine


def approve(settings, keys: list[str]) -> str:
    """The owner's approved list, made as documented: the find report trimmed to `keys`."""
    assert run_command("media_orphans", "find").exit_code == 0
    report = latest_report(settings, "orphan-files")
    report["files"] = [entry for entry in report["files"] if entry["key"] in keys]
    path = Path(settings.REPORTS_DIR) / "orphan-files-approved.json"
    path.write_text(json.dumps(report))
    return str(path)


def actions_log(settings) -> list[list[str]]:
    [log] = Path(settings.REPORTS_DIR).glob("quarantine-actions-*.log")
    return [line.split("\t") for line in log.read_text().splitlines()]


def test_quarantine_moves_only_the_approved_files(storage_kind, person, settings):
    approved_data, kept_data = image_bytes(color=(1, 0, 0)), image_bytes(color=(0, 1, 0))
    approved = orphan(person.username, approved_data, captured_at=CAPTURED)
    other = orphan(person.username, kept_data, captured_at=CAPTURED + timedelta(seconds=1))
    approved_list = approve(settings, [approved])

    result = run_command("media_orphans", "quarantine", "--approved", approved_list, "--apply")

    assert result.exit_code == 0, result.output
    assert not file_exists(approved)
    assert read(quarantine_key(approved, folder="orphans")) == approved_data
    name = approved.rsplit("/", 1)[-1]
    assert quarantine_key(approved, folder="orphans").endswith(
        f"QUARANTINE/orphans/people/{person.username}/affiliate_api/{name}"
    )
    assert read(other) == kept_data
    assert [(line[1], line[2]) for line in actions_log(settings)] == [("moved", approved)]
    assert MediaMove.objects.get().state == "done"
    assert jobs_stopped_then_restarted(result.output)


def test_quarantine_without_apply_lists_what_would_move(storage_kind, person, settings):
    key = orphan(person.username, image_bytes())
    approved_list = approve(settings, [key])

    result = run_command("media_orphans", "quarantine", "--approved", approved_list)

    assert result.exit_code == 0, result.output
    assert f"would move  {key}" in result.output
    assert file_exists(key)
    assert not file_exists(quarantine_key(key, folder="orphans"))
    assert not list(Path(settings.REPORTS_DIR).glob("quarantine-actions-*.log"))
    assert not jobs_stopped()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no approved list"),
        ("{not json", "not valid JSON"),
        ('{"summary": {}}', 'no "files" list'),
        ('{"files": []}', "names no files"),
        ('{"files": [{"key": "QUARANTINE/people/a/x.jpg"}]}', "not a file under"),
        ('{"files": [{"key": "people/../secrets.txt"}]}', "not a file under"),
        ('{"files": [{"size": 3}]}', "(no key)"),
    ],
)
def test_quarantine_refuses_an_unusable_approved_list_and_does_nothing(person, settings, content, message):
    key = orphan(person.username, image_bytes())
    path = Path(settings.REPORTS_DIR) / "orphan-files-approved.json"
    if content is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    result = run_command("media_orphans", "quarantine", "--approved", str(path), "--apply")

    assert result.exit_code == 1
    assert message in result.output
    assert file_exists(key)
    assert not jobs_stopped()
    assert not MediaMove.objects.exists()


def test_quarantine_refuses_to_run_without_an_approved_list(person):
    key = orphan(person.username, image_bytes())

    result = run_command("media_orphans", "quarantine", "--apply")

    assert result.exit_code == 1
    assert "pass --approved FILE" in result.output
    assert file_exists(key)
    assert not jobs_stopped()


def test_quarantine_skips_an_approved_file_that_has_been_registered_since(storage_kind, person, settings):
    moved = orphan(person.username, image_bytes(color=(7, 0, 0)), captured_at=CAPTURED)
    registered = orphan(person.username, image_bytes(color=(0, 7, 0)), captured_at=CAPTURED + timedelta(1))
    approved_list = approve(settings, [moved, registered])
    run_command("media_orphans", "register", "--apply", "--min-age", "0")
    MediaRecord.objects.exclude(file_path=registered).delete()

    result = run_command("media_orphans", "quarantine", "--approved", approved_list, "--apply")

    assert result.exit_code == 0, result.output
    assert file_exists(registered)
    assert not file_exists(moved)
    log = {line[2]: line for line in actions_log(settings)}
    assert log[moved][1] == "moved"
    assert log[registered][1] == "skipped"
    assert "a record has it now" in log[registered][3]


def test_quarantine_never_deletes_a_file_without_a_verified_copy(person, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.faulty_storage.CorruptingCopyStorage",
            "OPTIONS": {"location": str(tmp_path / "faulty")},
        },
    }
    data = image_bytes()
    key = orphan(person.username, data)
    approved_list = approve(settings, [key])

    result = run_command("media_orphans", "quarantine", "--approved", approved_list, "--apply")

    assert result.exit_code == 1
    assert read(key) == data
    assert not file_exists(quarantine_key(key, folder="orphans"))
    [line] = actions_log(settings)
    assert line[1] == "failed"
    assert "did not verify" in line[3]
    assert MediaMove.objects.get().state == "rolled_back"


def test_quarantine_rerun_after_an_interruption_converges(storage_kind, person, settings):
    first, second = (
        orphan(person.username, image_bytes(color=(3, 3, 0)), captured_at=CAPTURED),
        orphan(person.username, image_bytes(color=(0, 3, 3)), captured_at=CAPTURED + timedelta(1)),
    )
    approved_list = approve(settings, [first, second])
    # Cut short after the first file's copy was verified, before its original was deleted.
    target = quarantine_key(first, folder="orphans")
    file_copy(first, target)
    digest = file_digest(first)
    move = MediaMove.objects.create(
        source_key=first,
        target_key=target,
        reason="orphan",
        size_bytes=digest.size,
        sha256=digest.sha256,
        state=MediaMove.State.VERIFIED,
    )
    MediaMove.objects.filter(pk=move.pk).update(updated_at=datetime.now(UTC) - timedelta(hours=1))

    result = run_command("media_orphans", "quarantine", "--approved", approved_list, "--apply")

    assert result.exit_code == 0, result.output
    assert f"Interrupted move {first} → {target}: finished" in result.output
    assert not file_exists(first)
    assert not file_exists(second)
    assert file_exists(target)
    assert file_exists(quarantine_key(second, folder="orphans"))
    log = {line[2]: line[1:] for line in actions_log(settings)}
    assert log[first][0] == "skipped"
    assert "already in quarantine" in log[first][2]
    assert log[second][0] == "moved"
    assert run_command("media_orphans", "quarantine", "--approved", approved_list, "--apply").exit_code == 0


def test_registering_a_file_in_another_persons_folder_is_refused(person, bare_person):
    key = orphan(bare_person.username, image_bytes())

    with pytest.raises(ValidationError, match="is not a file of"):
        media_register_file(person=person, key=key, digest=file_digest(key), captured_at=CAPTURED)
    assert not MediaRecord.objects.exists()


def test_quarantining_a_batch_costs_the_same_statements_whatever_its_number_of_files(storage_kind, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def quarantine_new(count: int, start: int) -> int:
        keys = [
            orphan(
                person.username,
                image_bytes(color=(start + n, 9, 9)),
                captured_at=CAPTURED + timedelta(start + n),
            )
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            actions = list(orphans_quarantine(keys=keys, apply=True, workers=2))
        assert [action.action for action in actions] == ["moved"] * count
        assert all(file_exists(quarantine_key(key, folder="orphans")) for key in keys)
        return len(queries)

    assert quarantine_new(2, 0) == quarantine_new(7, 10)
