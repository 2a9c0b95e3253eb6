"""import_all: what it refuses (naming the file, table or migration), and how an import cut short
is finished by the next run."""

import json
import shutil
import signal
import sqlite3
import time

import pytest
from django.core.management import CommandError, call_command

from tests.backups.conftest import assert_same_export
from tests.factories import PersonFactory


@pytest.fixture
def exported(varied_data, tmp_path):
    dest = tmp_path / "export"
    call_command("export_all", str(dest), "--with-media")
    return dest


def _refusal(src, capsys) -> str:
    with pytest.raises(CommandError, match="Refused") as refused:
        call_command("import_all", str(src))
    return capsys.readouterr().err + str(refused.value)


def _a_file_key(src) -> str:
    return json.loads((src / "files.jsonl").read_text().splitlines()[0])["key"]


@pytest.mark.django_db
def test_a_corrupted_file_is_refused_with_its_key_named(exported, capsys):
    key = _a_file_key(exported)
    path = exported / "media" / key
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    assert f"The file {key} is corrupted" in _refusal(exported, capsys)


@pytest.mark.django_db
def test_a_missing_file_is_refused_with_its_key_named(exported, capsys):
    key = _a_file_key(exported)
    (exported / "media" / key).unlink()
    assert f"The file {key} is missing from the export" in _refusal(exported, capsys)


@pytest.mark.django_db
def test_a_changed_table_file_is_refused_with_its_table_named(exported, capsys):
    with (exported / "rows/notes.note.jsonl").open("a") as rows:
        rows.write("{}\n")
    assert "The rows of notes.note is corrupted" in _refusal(exported, capsys)


@pytest.mark.django_db
def test_a_non_empty_database_is_refused_with_the_table_named(exported, capsys):
    PersonFactory(username="added_after_the_export")
    output = _refusal(exported, capsys)
    assert (
        "The database is not empty: profiles.person has at least 1 row(s) that are not in the export"
        in output
    )


@pytest.mark.django_db
def test_an_export_of_a_newer_schema_is_refused_with_the_migration_named(exported, capsys):
    manifest = json.loads((exported / "manifest.json").read_text())
    manifest["migrations"]["profiles"] = "0099_from_the_future"
    (exported / "manifest.json").write_text(json.dumps(manifest))
    output = _refusal(exported, capsys)
    assert "newer schema: migration profiles.0099_from_the_future is not in this install" in output


@pytest.mark.django_db
def test_a_folder_without_a_manifest_is_refused(exported):
    (exported / "manifest.json").unlink()
    with pytest.raises(CommandError, match=r"has no manifest\.json"):
        call_command("import_all", str(exported))


@pytest.mark.django_db
def test_a_dry_run_checks_and_changes_nothing(exported, fresh_target):
    target = fresh_target("sqlite", "target")
    result = target.manage("import_all", str(exported))
    assert "Dry run" in result.stdout
    count = target.manage("shell", "-c", "from profiles.models import Person; print(Person.objects.count())")
    assert count.stdout.strip().splitlines()[-1] == "0"
    target.manage("import_all", str(exported), "--apply")
    again = target.manage("import_all", str(exported), check=False)
    assert again.returncode != 0
    assert "already imported here" in again.stderr


def _step_progress(database) -> tuple[int, bool]:
    """Rows imported so far and whether the import is done, read from the target's journal."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.2) as db:
            done = db.execute(
                "select coalesce(sum(done), 0) from backups_importstep where step like 'rows:%'"
            )
            finished = db.execute("select count(*) from backups_importrun where state = 'done'")
            return done.fetchone()[0], bool(finished.fetchone()[0])
    except sqlite3.OperationalError:
        return 0, False


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_midway_is_finished_by_the_next_run(varied_data, tmp_path, fresh_target):
    first = tmp_path / "first"
    call_command("export_all", str(first), "--with-media")
    target = fresh_target("sqlite", "target")
    database = target.database_url.removeprefix("sqlite:///")
    process = target.popen("import_all", str(first), "--apply", "--batch-size", "1")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        done, finished = _step_progress(database)
        if done >= 20 and not finished:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it could be cut short"
    process.send_signal(signal.SIGKILL)
    process.wait()
    done, finished = _step_progress(database)
    assert done >= 20
    assert not finished
    rerun = target.manage("import_all", str(first), "--apply")
    assert "Taking up the import" in rerun.stdout
    second = tmp_path / "second"
    target.manage("export_all", str(second), "--with-media")
    assert_same_export(first, second)


@pytest.mark.django_db
def test_a_file_cut_short_is_written_again_and_a_different_file_is_refused_by_key(
    exported, tmp_path, fresh_target
):
    target = fresh_target("sqlite", "target")
    media = tmp_path / "media-target"
    keys = [json.loads(line)["key"] for line in (exported / "files.jsonl").read_text().splitlines()]
    cut, foreign = keys[0], keys[1]
    for key, content in [(cut, (exported / "media" / cut).read_bytes()[:100]), (foreign, b"someone else's")]:
        (media / key).parent.mkdir(parents=True, exist_ok=True)
        (media / key).write_bytes(content)
    refused = target.manage("import_all", str(exported), "--apply", check=False)
    assert refused.returncode != 0
    assert f"A different file is already at {foreign}" in refused.stderr
    assert (media / foreign).read_bytes() == b"someone else's"
    (media / foreign).unlink()
    target.manage("import_all", str(exported), "--apply")
    for key in (cut, foreign):
        assert (media / key).read_bytes() == (exported / "media" / key).read_bytes()
    second = tmp_path / "second"
    target.manage("export_all", str(second), "--with-media")
    assert_same_export(exported, second)
    shutil.rmtree(second)
