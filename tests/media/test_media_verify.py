"""`media_verify`: a baseline of a few people's images before a change, and a strict comparison
after it that fails on a single regression."""

import json

import pytest
from django.core.files.base import ContentFile

from media.models import MediaJob, MediaRecord
from media.services import jobs_stop
from media.storage import file_delete, file_save
from profiles.models import Person
from tests.factories import PersonFactory
from tests.media.conftest import image_bytes
from tests.media.maintenance_helpers import record_with_file, run_command

pytestmark = pytest.mark.django_db

FIXED = ["alice", "bob"]
OTHERS = [f"other_{n}" for n in range(7)]


def _image(n: int) -> bytes:
    return image_bytes(color=(n % 256, (n * 7) % 256, 90))


@pytest.fixture
def library(storage_kind, settings):
    """alice (3 images: one working primary, one missing file, one empty), bob (2 working), seven
    others with 3 working images each, one person with only a deleted image, one with none."""
    settings.MEDIA_VERIFY_USERNAMES = ["alice"]
    people = {name: PersonFactory(username=name) for name in FIXED + OTHERS}
    record_with_file(people["alice"], _image(1), is_primary=True)
    record_with_file(people["alice"], _image(2), with_file=False)
    record_with_file(people["alice"], b"")
    for n in range(2):
        record_with_file(people["bob"], _image(10 + n))
    for i, name in enumerate(OTHERS):
        for n in range(3):
            record_with_file(people[name], _image(100 + 3 * i + n), is_primary=n == 0)
    gone = record_with_file(PersonFactory(username="only_deleted"), _image(200))
    MediaRecord.objects.filter(pk=gone.pk).update(deleted_at=gone.created_at)
    PersonFactory(username="no_images")
    return people


def _baseline(settings) -> dict:
    return json.loads((settings.REPORTS_DIR / "media-verify-baseline.json").read_text())


def _take_baseline(*args: str):
    run = run_command("media_verify", "baseline", "--usernames", "bob", *args)
    assert run.exit_code == 0, run.output
    return run


def _reports(settings) -> list[dict]:
    paths = sorted(settings.REPORTS_DIR.glob("media-verify-2*.json"))
    return [json.loads(path.read_text()) for path in paths]


def test_baseline_records_the_named_people_and_five_drawn_at_random(library, settings):
    run = _take_baseline()
    people = _baseline(settings)["people"]
    assert [(p["username"], p["chosen"]) for p in people[:2]] == [("alice", "fixed"), ("bob", "fixed")]
    alice, bob = people[:2]
    assert (alice["total"], alice["working"], alice["broken"]) == (3, 1, 2)
    assert alice["primary"]["working"] is True
    primary = MediaRecord.objects.get(person__username="alice", is_primary=True)
    assert alice["primary"]["id"] == str(primary.pk)
    assert (bob["total"], bob["working"], bob["broken"], bob["primary"]) == (2, 2, 0, None)
    drawn = people[2:]
    assert len(drawn) == 5
    assert {p["chosen"] for p in drawn} == {"random"}
    assert len({p["username"] for p in drawn}) == 5
    assert {p["username"] for p in drawn} <= set(OTHERS)
    assert all((p["total"], p["working"], p["broken"]) == (3, 3, 0) for p in drawn)
    assert "written to" in run.output


def test_fewer_people_are_drawn_when_fewer_have_images(storage_kind, settings):
    for name in ("carol", "dave"):
        record_with_file(PersonFactory(username=name), _image(len(name)))
    PersonFactory(username="no_images")
    run = run_command("media_verify", "baseline", "--usernames", "carol")
    assert run.exit_code == 0, run.output
    people = _baseline(settings)["people"]
    assert [(p["username"], p["chosen"]) for p in people] == [("carol", "fixed"), ("dave", "random")]


def test_verify_passes_on_an_unchanged_library(library, settings):
    _take_baseline()
    run = run_command("media_verify", "verify")
    assert run.exit_code == 0, run.output
    assert "All 7 people OK." in run.output
    assert "REGRESSED" not in run.output
    [report] = _reports(settings)
    assert report["passed"] is True
    assert report["summary"] == {"people": 7, "regressed": 0, "warnings": 0}


@pytest.mark.parametrize("damage", ["deleted", "emptied"])
def test_verify_fails_when_one_file_of_one_person_among_many_breaks(library, settings, damage):
    _take_baseline()
    victim = _baseline(settings)["people"][4]["username"]  # one of those drawn at random
    record = MediaRecord.objects.filter(person__username=victim).order_by("file_path").last()
    file_delete(record.file_path)
    if damage == "emptied":
        file_save(record.file_path, ContentFile(b""))

    run = run_command("media_verify", "verify")

    assert run.exit_code == 1, run.output
    row = next(line for line in run.output.splitlines() if line.startswith(victim))
    assert row.split()[1:8] == ["3", "3", "→", "2", "0", "→", "1"]  # total, working, broken
    assert row.rstrip().endswith("REGRESSED")
    assert "1 of 7 people regressed" in run.output
    [report] = _reports(settings)
    assert report["passed"] is False
    assert [p["username"] for p in report["people"] if p["status"] == "REGRESSED"] == [victim]


def test_verify_passes_when_images_were_added(library, settings):
    _take_baseline()
    record_with_file(library["bob"], _image(50))
    run = run_command("media_verify", "verify")
    assert run.exit_code == 0, run.output
    bob_row = next(line for line in run.output.splitlines() if line.startswith("bob"))
    assert bob_row.split()[1:4] == ["2", "→", "3"]
    assert bob_row.rstrip().endswith("OK")


def test_verify_fails_when_a_baselined_person_vanished(library, settings):
    _take_baseline()
    MediaRecord.objects.filter(person__username="bob").delete()
    Person.objects.filter(username="bob").delete()
    run = run_command("media_verify", "verify")
    assert run.exit_code == 1, run.output
    assert "bob (the person is gone)" in run.output


def test_a_changed_primary_image_is_a_warning_not_a_failure(library, settings):
    _take_baseline()
    bob_record = MediaRecord.objects.filter(person__username="bob").first()
    MediaRecord.objects.filter(pk=bob_record.pk).update(is_primary=True)
    run = run_command("media_verify", "verify")
    assert run.exit_code == 0, run.output
    assert "Warning: bob: the primary image changed" in run.output


def test_a_primary_image_that_became_broken_is_a_regression(storage_kind, settings):
    person = PersonFactory(username="erin")
    primary = record_with_file(person, _image(1), is_primary=True)
    run_command("media_verify", "baseline", "--usernames", "erin")
    file_delete(primary.file_path)
    record_with_file(person, _image(2))  # as many working images as before, yet the primary broke
    run = run_command("media_verify", "verify")
    assert run.exit_code == 1, run.output
    assert "the primary image is broken" in run.output


def test_a_baseline_is_not_overwritten_without_force(library, settings):
    _take_baseline()
    first = _baseline(settings)
    refused = run_command("media_verify", "baseline")
    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert _baseline(settings) == first
    _take_baseline("--force")
    assert _baseline(settings)["created_at"] != first["created_at"]


def test_an_unknown_username_is_an_error_and_writes_nothing(library, settings, tmp_path):
    target = tmp_path / "elsewhere.json"
    run = run_command("media_verify", "baseline", "--usernames", "bob,nobody_here", "--file", str(target))
    assert run.exit_code == 1
    assert "nobody_here" in run.output
    assert not target.exists()
    assert not settings.REPORTS_DIR.exists() or not list(settings.REPORTS_DIR.iterdir())


def test_verify_without_a_readable_baseline_says_so(library, settings, tmp_path):
    missing = run_command("media_verify", "verify")
    assert missing.exit_code == 1
    assert "media_verify baseline" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "media-verify-baseline", "people": [{"username": "x"}]}')
    invalid = run_command("media_verify", "verify", "--file", str(broken))
    assert invalid.exit_code == 1
    assert "not a valid media_verify baseline" in invalid.output


def test_it_says_whether_the_media_jobs_are_running(library, settings):
    assert MediaJob.objects.filter(state=MediaJob.State.STARTED).exists()
    assert "Media jobs running" in _take_baseline().output
    jobs_stop()
    assert "Media jobs: all stopped." in run_command("media_verify", "verify").output


def test_the_documented_sequence_baseline_dedup_verify_passes(storage_kind, settings):
    # A person with the same image twice: dedup merges it, the person still has every image.
    carol = PersonFactory(username="carol")
    record_with_file(carol, _image(1), is_primary=True)
    record_with_file(carol, _image(1))
    record_with_file(carol, _image(2))
    assert run_command("media_verify", "baseline", "--usernames", "carol").exit_code == 0
    assert run_command("media_dedup", "--apply").exit_code == 0

    run = run_command("media_verify", "verify")

    assert run.exit_code == 0, run.output
    assert "duplicates merged, no image lost" in run.output
    carol_now = _reports(settings)[-1]["people"][0]
    assert (carol_now["status"], carol_now["now"]["working"]) == ("OK", 2)


def test_losing_the_last_working_copy_of_an_image_fails_and_names_the_broken_file(storage_kind, settings):
    carol = PersonFactory(username="carol")
    record_with_file(carol, _image(1))
    lost = record_with_file(carol, _image(2))
    assert run_command("media_verify", "baseline", "--usernames", "carol").exit_code == 0
    file_delete(lost.file_path)

    run = run_command("media_verify", "verify")

    assert run.exit_code == 1
    assert "1 working image(s) lost" in run.output
    assert f"Broken files of carol (1):\n  {lost.file_path}" in run.output
    assert _reports(settings)[-1]["people"][0]["broken_keys"] == [lost.file_path]
