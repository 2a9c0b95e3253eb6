"""A run killed (SIGKILL, no clean-up) at any point and run again ends in exactly the state of an
uninterrupted run: into SQLite files, or into PostgreSQL when the suite runs on it."""

import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from legacy.importer.core import KILL_AFTER_BATCHES_ENV
from tests.legacy.source import database

ROOT = Path(settings.BASE_DIR)


@contextmanager
def target(tmp_path: Path, name: str):
    """An empty, migrated database of ours of the kind the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        with database(prefix="mhc_i12_target") as url:
            yield _migrated(url, tmp_path)
    else:
        yield _migrated(f"sqlite:///{tmp_path / name}.sqlite3", tmp_path)


def _migrated(url: str, tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "mhc.settings_test",
        "REPORTS_DIR": str(tmp_path / "reports"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop(KILL_AFTER_BATCHES_ENV, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    return env


def import_into(env: dict, url: str, *, kill_after: int | None = None) -> subprocess.CompletedProcess:
    env = {**env, **({KILL_AFTER_BATCHES_ENV: str(kill_after)} if kill_after else {})}
    command = [sys.executable, "manage.py", "import_legacy", url, "--apply", "--batch-size", "2"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def state_of(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.legacy.state"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("generation", ["current", "pre094"])
def test_a_killed_import_run_again_ends_as_an_uninterrupted_one(generation, tmp_path, request):
    legacy = request.getfixturevalue(f"legacy_{generation}")
    with target(tmp_path, "whole") as whole, target(tmp_path, "killed") as killed:
        done = import_into(whole, legacy.url)
        assert done.returncode == 0, done.stderr
        kills, kill_after = 0, 3
        while True:
            result = import_into(killed, legacy.url, kill_after=kill_after)
            if result.returncode == 0:
                break
            assert result.returncode == -signal.SIGKILL, result.stderr
            kills += 1
            kill_after += 10  # each run re-reads the tables handled as a whole, then gets further
        assert kills >= 3  # killed in several places: people, the streamed tables, the rest
        expected = state_of(whole)
        assert state_of(killed) == expected
        again = import_into(killed, legacy.url)
        assert "Nothing changed" in again.stdout
        assert state_of(killed) == expected
