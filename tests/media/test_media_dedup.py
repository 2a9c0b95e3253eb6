"""media_dedup: each person's duplicate images merged into the most referenced one, references
and the primary flag moved, the others soft-deleted with their files in quarantine; images shared
by several people only reported, or quarantined as placeholders when asked; an interrupted run
finishes when run again, and no file is ever removed without a verified copy."""

import hashlib
import itertools
import json
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

import media.maintenance.dedup.merge
import media.services.bulk_moves
import media.services.moves
from media.keys import people_prefix, quarantine_key, quarantine_prefix
from media.maintenance.dedup import dedup_run
from media.models import AffiliateSnapshot, MediaJob, MediaMove, MediaRecord, PlaceholderHash
from media.services import is_placeholder_digest, placeholder_add
from media.storage import file_chunks, file_delete, file_exists, files_under
from tests.factories import AffiliateSnapshotFactory, PersonFactory
from tests.media.conftest import image_bytes
from tests.media.maintenance_helpers import jobs_stopped_then_restarted, recovered_elsewhere, run_command
from tests.media.maintenance_helpers import record_with_file as _record_with_file

pytestmark = pytest.mark.django_db

RED, GREEN, BLUE = image_bytes((200, 0, 0)), image_bytes((0, 200, 0)), image_bytes((0, 0, 200))


def read(key: str) -> bytes:
    return b"".join(file_chunks(key))


# The helper's own default capture times follow the clock, so two calls a second apart can get
# the same key; these stay a fixed distance apart.
_CAPTURED_BEFORE = timezone.now() - timedelta(days=60)
_capture_times = (_CAPTURED_BEFORE - timedelta(seconds=n) for n in itertools.count())


def record_with_file(person, content: bytes, **options) -> MediaRecord:
    options.setdefault("captured_at", next(_capture_times))
    return _record_with_file(person, content, **options)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def run_reports():
    return sorted(settings.REPORTS_DIR.glob("media-dedup-*.json"))


def refer(record: MediaRecord, times: int) -> None:
    for _ in range(times):
        AffiliateSnapshotFactory(person=record.person, media_locator=record)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def live_duplicates() -> list[dict]:
    """(person, sha256) pairs held by more than one live record."""
    return list(
        MediaRecord.objects.live().values("person_id", "sha256").annotate(n=Count("id")).filter(n__gt=1)
    )


def assert_quarantined(record: MediaRecord, content: bytes) -> None:
    record.refresh_from_db()
    assert record.is_deleted
    assert not file_exists(record.file_path)
    assert read(quarantine_key(record.file_path)) == content


def library_state() -> tuple:
    """Everything a run could change: records, references, placeholders, files and their bytes."""
    records = sorted(MediaRecord.objects.values_list("id", "is_primary", "deleted_at", "file_path"))
    references = sorted(AffiliateSnapshot.objects.values_list("id", "media_locator_id"))
    files = sorted((stored.key, stored.size) for stored in files_under(people_prefix()))
    quarantined = sorted(stored.key for stored in files_under(quarantine_prefix()))
    return records, references, list(PlaceholderHash.objects.values_list("sha256")), files, quarantined


def test_dedup_keeps_the_most_referenced_record_and_repoints_the_snapshots(storage_kind):
    person = PersonFactory()
    oldest_primary = record_with_file(person, RED, captured_at=days_ago(30), is_primary=True)
    most_referenced = record_with_file(person, RED, captured_at=days_ago(20))
    unreferenced = record_with_file(person, RED, captured_at=days_ago(10))
    refer(oldest_primary, 1)
    refer(most_referenced, 2)

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    most_referenced.refresh_from_db()
    assert not most_referenced.is_deleted
    assert most_referenced.is_primary  # a duplicate was the primary one
    assert read(most_referenced.file_path) == RED
    assert set(AffiliateSnapshot.objects.values_list("media_locator_id", flat=True)) == {most_referenced.id}
    assert AffiliateSnapshot.objects.count() == 3
    assert_quarantined(oldest_primary, RED)
    assert_quarantined(unreferenced, RED)
    summary = json.loads(next(iter(run_reports())).read_text())["summary"]
    assert summary["references repointed"] == 1
    assert summary["primaries moved"] == 1
    assert summary["records soft-deleted"] == 2


def test_a_tie_in_references_goes_to_the_primary_record():
    person = PersonFactory()
    record_with_file(person, RED, captured_at=days_ago(30))
    primary = record_with_file(person, RED, captured_at=days_ago(10), is_primary=True)
    [group] = dedup_run(apply=False).groups
    assert group.kept_id == str(primary.id)


def test_a_tie_without_a_primary_goes_to_the_oldest_record():
    person = PersonFactory()
    record_with_file(person, RED, captured_at=days_ago(10))
    oldest = record_with_file(person, RED, captured_at=days_ago(30))
    record_with_file(person, RED, captured_at=days_ago(20))
    [group] = dedup_run(apply=False).groups
    assert group.kept_id == str(oldest.id)
    assert len(group.duplicate_ids) == 2


def test_a_record_whose_file_exists_is_kept_over_a_more_referenced_one_whose_file_is_missing(storage_kind):
    person = PersonFactory()
    without_file = record_with_file(person, RED, with_file=False)
    with_file = record_with_file(person, RED)
    refer(without_file, 3)

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    with_file.refresh_from_db()
    without_file.refresh_from_db()
    assert not with_file.is_deleted
    assert read(with_file.file_path) == RED
    assert without_file.is_deleted
    assert set(AffiliateSnapshot.objects.values_list("media_locator_id", flat=True)) == {with_file.id}


def test_a_dry_run_changes_nothing_and_leaves_the_jobs_running(storage_kind):
    alice, bob, carol = PersonFactory(), PersonFactory(), PersonFactory()
    first = record_with_file(alice, RED, is_primary=True)
    refer(record_with_file(alice, RED), 2)
    for person in (alice, bob, carol):
        record_with_file(person, BLUE)
    before = library_state()

    run = run_command("media_dedup", "--placeholders")

    assert run.exit_code == 0, run.output
    assert library_state() == before
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}
    assert "Dry run" in run.output
    assert f"{alice.username} sha256 {first.sha256[:12]}" in run.output
    assert "would quarantine" in run.output
    assert "would be" in run.output


def test_after_apply_no_person_has_two_live_records_with_the_same_sha256(storage_kind):
    alice, bob = PersonFactory(), PersonFactory()
    duplicates = [record_with_file(alice, RED) for _ in range(3)] + [record_with_file(alice, GREEN)]
    duplicates += [record_with_file(bob, GREEN) for _ in range(2)]
    unique = record_with_file(bob, BLUE)
    assert len(live_duplicates()) == 2

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    assert live_duplicates() == []
    assert MediaRecord.objects.live().count() == 4  # alice red, alice green, bob green, bob blue
    unique.refresh_from_db()
    assert not unique.is_deleted
    for record in duplicates:
        record.refresh_from_db()
        content = RED if record.sha256 == duplicates[0].sha256 else GREEN
        if record.is_deleted:
            assert_quarantined(record, content)
        else:
            assert read(record.file_path) == content
    assert "Stopped the media-creating jobs" in run.output
    assert jobs_stopped_then_restarted(run.output)
    report = json.loads(run_reports()[-1].read_text())
    assert report["applied"] is True
    assert {(group["username"], len(group["duplicate_ids"])) for group in report["groups"]} == {
        (alice.username, 2),
        (bob.username, 1),
    }


def test_a_rerun_after_apply_finds_nothing_to_do(storage_kind):
    person = PersonFactory()
    for _ in range(2):
        record_with_file(person, RED)
    assert run_command("media_dedup", "--apply").exit_code == 0
    second = dedup_run(apply=True)
    assert (second.groups, second.soft_deleted, second.problems) == ([], 0, [])


def test_nothing_is_deleted_without_a_verified_copy(person, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.faulty_storage.CorruptingCopyStorage",
            "OPTIONS": {"location": str(tmp_path / "faulty")},
        },
    }
    other = PersonFactory()
    records = [record_with_file(person, RED) for _ in range(2)] + [
        record_with_file(other, GREEN) for _ in range(2)
    ]

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 1
    assert "2 problem(s)" in run.output  # one per group: the run went on after the first
    for record in records:
        record.refresh_from_db()
        assert not record.is_deleted
        assert read(record.file_path) == (RED if record.person_id == person.id else GREEN)
        assert not file_exists(quarantine_key(record.file_path))
    assert "left live" in run.output


class Interrupted(BaseException):
    """The process killed mid-run (not an Exception: nothing in the command may catch it)."""


def interrupt_at(monkeypatch, name: str, calls: int) -> None:
    """Kill the run at the `calls`-th call of the bulk moves' `name`: fault injection into the
    storage steps of a verified move. `file_copy_checked` is killed once the copy is made (not
    yet verified), `files_delete` before the originals are removed (copies verified, records
    marked)."""
    real = getattr(media.services.bulk_moves, name)
    count = {"n": 0}

    def flaky(*args):
        count["n"] += 1
        if name == "file_copy_checked":
            real(*args)
        if count["n"] == calls:
            raise Interrupted(f"killed at {name} #{calls}")
        return real(*args)

    monkeypatch.setattr(media.services.bulk_moves, name, flaky)


@pytest.mark.parametrize("calls", [1, 3], ids=["in-the-first-group", "in-a-later-group"])
@pytest.mark.parametrize("step", ["file_copy_checked", "files_delete"], ids=["after-copy", "after-verify"])
def test_an_interrupted_apply_converges_when_run_again_and_loses_nothing(
    storage_kind, monkeypatch, step, calls
):
    # Fixed ids put alice's group first: the groups are taken in (person, sha256) order.
    alice, bob = PersonFactory(id=uuid.UUID(int=1)), PersonFactory(id=uuid.UUID(int=2))
    alice_red = [record_with_file(alice, RED) for _ in range(2)] + [
        record_with_file(alice, RED, is_primary=True)
    ]
    refer(alice_red[0], 1)
    refer(alice_red[1], 2)
    records = [*alice_red, record_with_file(alice, BLUE)]
    records += [record_with_file(bob, data) for data in (RED, RED, GREEN, GREEN, BLUE)]
    contents = {sha(data): data for data in (RED, GREEN, BLUE)}
    references = AffiliateSnapshot.objects.count()

    interrupt_at(monkeypatch, step, calls)
    with pytest.raises(Interrupted):
        run_command("media_dedup", "--apply", "--batch-size", "1", "--workers", "1")
    monkeypatch.undo()
    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    assert live_duplicates() == []
    assert MediaRecord.objects.live().filter(person=alice).count() == 2
    assert MediaRecord.objects.live().filter(person=bob).count() == 3
    for record in records:
        record.refresh_from_db()
        content = contents[record.sha256]
        where = quarantine_key(record.file_path) if record.is_deleted else record.file_path
        assert read(where) == content
    assert AffiliateSnapshot.objects.count() == references
    # Finished, not only safe: every file left among the people's files is a live record's.
    live_keys = set(MediaRecord.objects.live().values_list("file_path", flat=True))
    assert {stored.key for stored in files_under(people_prefix())} == live_keys
    assert set(AffiliateSnapshot.objects.values_list("media_locator_id", flat=True)) == {alice_red[1].id}
    alice_red[1].refresh_from_db()
    assert not alice_red[1].is_deleted
    assert alice_red[1].is_primary


def test_a_keeper_deleted_meanwhile_leaves_its_duplicates_live(monkeypatch):
    # The owner deletes the chosen record in the admin while the run is on its group: moving the
    # references to it and soft-deleting the rest would leave the person without the image.
    person = PersonFactory()
    keeper, duplicate = record_with_file(person, RED), record_with_file(person, RED)
    refer(keeper, 2)
    refer(duplicate, 1)
    choose = media.maintenance.dedup.merge.keeper_choose

    def choose_then_delete(members, present):
        chosen = choose(members, present)
        MediaRecord.objects.filter(pk=chosen.pk).update(deleted_at=timezone.now())
        return chosen

    monkeypatch.setattr(media.maintenance.dedup.merge, "keeper_choose", choose_then_delete)

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 1
    assert "is no longer live" in run.output
    duplicate.refresh_from_db()
    assert not duplicate.is_deleted
    assert read(duplicate.file_path) == RED
    assert AffiliateSnapshot.objects.filter(media_locator=duplicate).count() == 1


def test_a_duplicate_the_owner_deleted_meanwhile_counts_as_done(monkeypatch):
    person = PersonFactory()
    keeper, duplicate = record_with_file(person, RED), record_with_file(person, RED)
    refer(keeper, 2)
    choose = media.maintenance.dedup.merge.keeper_choose

    def choose_then_owner_deletes_the_duplicate(members, present):
        chosen = choose(members, present)
        MediaRecord.objects.filter(pk=duplicate.pk).update(deleted_at=timezone.now())
        return chosen

    monkeypatch.setattr(
        media.maintenance.dedup.merge, "keeper_choose", choose_then_owner_deletes_the_duplicate
    )

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    assert list(MediaRecord.objects.live()) == [keeper]


def test_a_batch_is_moved_while_the_next_is_read_and_finished_when_that_one_fails(storage_kind, monkeypatch):
    alice, bob = PersonFactory(id=uuid.UUID(int=1)), PersonFactory(id=uuid.UUID(int=2))
    alice_keeper, alice_duplicate = record_with_file(alice, RED), record_with_file(alice, RED)
    refer(alice_keeper, 1)
    bob_records = [record_with_file(bob, GREEN), record_with_file(bob, GREEN)]
    members_of = media.maintenance.dedup.merge.members_of
    seen = []

    def second_batch_unreadable(rows):
        if seen:
            alice_duplicate.refresh_from_db()
            seen.append(alice_duplicate.is_deleted)
            raise ConnectionError("the database went away")
        seen.append("first batch")
        return members_of(rows)

    monkeypatch.setattr(media.maintenance.dedup.merge, "members_of", second_batch_unreadable)

    with pytest.raises(ConnectionError):
        dedup_run(apply=True, batch_size=1, workers=2)

    # The second batch was read before the first one's duplicate was soft-deleted ...
    assert seen == ["first batch", False]
    # ... and the first one's moves were still completed, none left to recovery.
    assert_quarantined(alice_duplicate, RED)
    assert not MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).exists()
    for record in bob_records:
        record.refresh_from_db()
        assert not record.is_deleted
        assert read(record.file_path) == GREEN


def test_moves_recovery_took_over_elsewhere_while_the_next_batch_was_read_keep_their_originals(
    storage_kind, monkeypatch
):
    # The first batch's leases expired while the second was read (a slow storage, say), and
    # recovery on another machine took its moves over and rolled them back. Finishing them
    # anyway would soft-delete the duplicate and remove its file with no copy left.
    alice, bob = PersonFactory(id=uuid.UUID(int=1)), PersonFactory(id=uuid.UUID(int=2))
    alice_keeper, alice_duplicate = record_with_file(alice, RED), record_with_file(alice, RED)
    refer(alice_keeper, 1)
    record_with_file(bob, GREEN), record_with_file(bob, GREEN)
    members_of = media.maintenance.dedup.merge.members_of
    recovered = []

    def second_batch_read_slowly(rows):
        if not recovered:
            recovered.append("first batch")
        elif len(recovered) == 1:
            recovered.extend(outcome.action for outcome in recovered_elsewhere(monkeypatch))
        return members_of(rows)

    monkeypatch.setattr(media.maintenance.dedup.merge, "members_of", second_batch_read_slowly)

    result = dedup_run(apply=True, batch_size=1, workers=2)

    assert recovered == ["first batch", "rolled back"]
    alice_duplicate.refresh_from_db()
    assert not alice_duplicate.is_deleted
    assert read(alice_duplicate.file_path) == RED
    assert MediaMove.objects.get(record=alice_duplicate).state == MediaMove.State.ROLLED_BACK
    assert any("taken over by recovery" in problem for problem in result.problems)
    # The second batch was merged as usual.
    assert sum(record.is_deleted for record in MediaRecord.objects.filter(person=bob)) == 1
    assert not MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).exists()


def test_cross_person_groups_are_reported_and_never_merged(storage_kind):
    people = [PersonFactory(username=f"shared_{n}") for n in range(3)]
    records = [record_with_file(person, BLUE) for person in people]

    run = run_command("media_dedup", "--apply")

    assert run.exit_code == 0, run.output
    assert MediaRecord.objects.live().count() == 3
    for record in records:
        assert read(record.file_path) == BLUE
    assert f"sha256 {sha(BLUE)}: 3 people (shared_0, shared_1, shared_2), 3 record(s)" in run.output
    assert "Never merged" in run.output
    assert not PlaceholderHash.objects.exists()
    [group] = json.loads(run_reports()[-1].read_text())["cross_person_groups"]
    assert (group["people"], group["records"], group["action"]) == (3, 3, "reported")


def test_placeholders_quarantines_an_image_seen_for_min_people_and_records_it(storage_kind):
    people = [PersonFactory() for _ in range(3)]
    placeholders = [record_with_file(person, BLUE) for person in people] + [record_with_file(people[0], BLUE)]
    AffiliateSnapshotFactory(person=people[0], media_locator=placeholders[0])
    pair = [record_with_file(person, GREEN) for person in people[:2]]

    run = run_command("media_dedup", "--apply", "--placeholders", "--min-people", "3")

    assert run.exit_code == 0, run.output
    for record in placeholders:
        assert_quarantined(record, BLUE)
    for record in pair:  # two people only, not a known placeholder: left alone
        record.refresh_from_db()
        assert not record.is_deleted
    assert is_placeholder_digest(sha256=sha(BLUE), size=len(BLUE))
    assert list(PlaceholderHash.objects.values_list("sha256", flat=True)) == [sha(BLUE)]
    summary = json.loads(run_reports()[-1].read_text())["summary"]
    assert (summary["placeholders recorded"], summary["records soft-deleted"]) == (1, 4)
    assert summary["duplicate groups"] == 0  # the same-person copies went the placeholder way


def test_placeholders_quarantines_a_known_placeholder_shared_by_two_people(storage_kind):
    placeholder_add(sha256=sha(GREEN), note="seen on the platform")
    records = [record_with_file(PersonFactory(), GREEN) for _ in range(2)]

    run = run_command("media_dedup", "--apply", "--placeholders")

    assert run.exit_code == 0, run.output
    for record in records:
        assert_quarantined(record, GREEN)
    assert PlaceholderHash.objects.count() == 1


def test_a_placeholder_size_alone_does_not_make_a_shared_image_a_known_placeholder(settings):
    # MEDIA_PLACEHOLDER_SIZES is a download heuristic; dedup quarantines across people only on a
    # known placeholder *hash* (or --min-people people), so a real image two people share stays.
    settings.MEDIA_PLACEHOLDER_SIZES = [len(GREEN)]
    records = [record_with_file(PersonFactory(), GREEN) for _ in range(2)]

    run = run_command("media_dedup", "--apply", "--placeholders")

    assert run.exit_code == 0, run.output
    for record in records:
        record.refresh_from_db()
        assert not record.is_deleted
        assert read(record.file_path) == GREEN
    assert not PlaceholderHash.objects.exists()


def test_an_interrupted_placeholder_quarantine_is_finished_by_the_next_run(storage_kind, monkeypatch):
    records = [record_with_file(PersonFactory(), BLUE) for _ in range(3)]
    interrupt_at(monkeypatch, "file_copy_checked", 3)  # two of three quarantined, one person left
    with pytest.raises(Interrupted):
        run_command("media_dedup", "--apply", "--placeholders", "--batch-size", "1", "--workers", "1")
    monkeypatch.undo()

    run = run_command("media_dedup", "--apply", "--placeholders")

    assert run.exit_code == 0, run.output
    for record in records:
        assert_quarantined(record, BLUE)


def test_records_without_a_sha256_are_skipped_and_counted():
    person = PersonFactory()
    unhashed = [record_with_file(person, RED, with_digest=False) for _ in range(2)]
    run = run_command("media_dedup")
    assert "2 live record(s) without a sha256" in run.output
    assert "media_sha256" in run.output
    for record in unhashed:
        record.refresh_from_db()
        assert not record.is_deleted


def test_min_people_below_two_is_refused_before_anything_changes():
    run = run_command("media_dedup", "--apply", "--placeholders", "--min-people", "1")
    assert run.exit_code == 1
    assert "--min-people must be at least 2" in run.output
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STARTED}


def test_a_missing_duplicate_file_is_soft_deleted_without_a_move(storage_kind):
    person = PersonFactory()
    keeper = record_with_file(person, RED, is_primary=True)
    gone = record_with_file(person, RED)
    file_delete(gone.file_path)
    assert run_command("media_dedup", "--apply").exit_code == 0
    gone.refresh_from_db()
    keeper.refresh_from_db()
    assert gone.is_deleted
    assert not keeper.is_deleted
    assert keeper.is_primary
