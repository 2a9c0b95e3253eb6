"""Crash safety of every maintenance command that acts: each is killed with SIGKILL at random
moments while it works on a library (a real process, a real database file and real files), then
run again to the end. After every kill, every image's bytes are still somewhere (a live file or
in QUARANTINE/) and no record is gone; after the last run the library has converged (a further
run has nothing left to do).

The moments are drawn from a seeded generator; the seed is printed, so a failure can be replayed
with MHC_CRASH_SEED.
"""

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

KILLS_PER_COMMAND = 3
PEOPLE = 16
IMAGES_PER_PERSON = 40


class Library:
    """The library a test runs the commands on: a database file, a media folder, reports."""

    def __init__(self, root: Path):
        self.root = root
        self.media = root / "media"
        self.database = root / "crash.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mhc.settings_test",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MEDIA_ROOT": str(self.media),
            "MEDIA_STORAGE": "local",
            "REPORTS_DIR": str(root / "reports"),
        }

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    def killed_after(self, seconds: float, *args: str) -> bool:
        """Run a command and SIGKILL it after `seconds`; whether it was still running."""
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            process.wait(timeout=seconds)
            return False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()

    def hashes_in_storage(self) -> set[str]:
        found = set()
        for folder, _, names in os.walk(self.media):
            for name in names:
                found.add(hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest())
        return found


def _assert_nothing_lost(library: Library, hashes: set[str], record_ids: set[str], when: str) -> None:
    missing = hashes - library.hashes_in_storage()
    assert not missing, f"{when}: {len(missing)} image(s) are in no file any more"
    ids = {row[0] for row in library.query("SELECT id FROM media_locator")}
    assert record_ids <= ids, f"{when}: {len(record_ids - ids)} record(s) gone"
    unverified = library.query("SELECT source_key FROM media_move_journal WHERE state = 'failed'")
    assert not unverified, f"{when}: moves that need attention: {unverified[:3]}"


def _approved_list(library: Library) -> str:
    library.manage("media_orphans", "find")
    report = sorted((library.root / "reports").glob("orphan-files-*.json"))[-1]
    files = json.loads(report.read_text())["files"]
    approved = library.root / "approved.json"
    approved.write_text(json.dumps({"files": files[::2]}))  # half of them
    return str(approved)


COMMANDS = [
    ("media_sha256",),
    ("media_dedup", "--apply", "--batch-size", "5", "--workers", "2"),
    ("media_quarantine_deleted", "--apply", "--batch-size", "5"),
    ("media_orphans", "register", "--apply", "--min-age", "0"),
]


def test_every_acting_command_killed_at_random_converges_when_run_again_and_loses_nothing(tmp_path):
    moments_seed = int(os.environ.get("MHC_CRASH_SEED", random.randrange(10**6)))
    print(f"MHC_CRASH_SEED={moments_seed}")
    rng = random.Random(moments_seed)
    library = Library(tmp_path)
    library.manage("migrate", "--verbosity", "0")
    library.manage(
        "shell", "-c", f"from tests.media.crash_library import seed; seed({PEOPLE}, {IMAGES_PER_PERSON})"
    )
    hashes = library.hashes_in_storage()
    record_ids = {row[0] for row in library.query("SELECT id FROM media_locator")}

    approved = None
    for command in [*COMMANDS, ("media_orphans", "quarantine", "--approved", "APPROVED", "--apply")]:
        if "APPROVED" in command:
            approved = approved or _approved_list(library)
            command = tuple(approved if part == "APPROVED" else part for part in command)
        # Django starts in about a second here; the work itself takes a few.
        timings = sorted(rng.uniform(0.8, 5.0) for _ in range(KILLS_PER_COMMAND))
        for seconds in timings:
            library.killed_after(seconds, *command)
            _assert_nothing_lost(library, hashes, record_ids, f"{command[0]} killed at {seconds:.2f} s")
        library.manage(*command)  # to the end, exit status 0
        _assert_nothing_lost(library, hashes, record_ids, f"{command[0]} run to the end")

    # Converged: nothing left to do, and the library consistent.
    assert not library.query(
        "SELECT id FROM media_move_journal WHERE state IN ('intent', 'copied', 'verified')"
    )
    dedup = library.manage("media_dedup")
    assert "Duplicate groups (one person, one sha256): 0" in dedup.stdout
    quarantine = library.manage("media_quarantine_deleted")
    assert "Would move" not in quarantine.stdout
    assert not library.query("SELECT id FROM media_locator WHERE sha256 = '' OR size_bytes IS NULL")
