"""Backup test helpers: a varied data set (the demo, plus rows the demo lacks), fresh databases
of either engine for a restore (a migrated SQLite file copied from one template, or a new
PostgreSQL database), and manage.py run in its own process against them, as the owner would."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from attributes.models import AttributeDefinition
from events.services import event_record
from mhc.demo import load_demo
from profiles.models import Person
from tests.factories import UserFactory

POSTGRES_URL = os.environ.get("MHC_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@dataclass
class Target:
    """A database (and media storage) of its own for a restore, reached through manage.py."""

    engine: str
    database_url: str
    env: dict = field(default_factory=dict)

    def manage(self, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mhc.settings_test",
            "DATABASE_URL": self.database_url,
            **self.env,
        }
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mhc.settings_test", "DATABASE_URL": self.database_url}
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env={**env, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database file with every migration applied, made once for the session."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    Target("sqlite", f"sqlite:///{path}").manage("migrate", "-v0")
    return path


def _postgres_admin():
    import psycopg

    try:
        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"No PostgreSQL server at {POSTGRES_URL} for a restore into PostgreSQL: {error}")


@pytest.fixture(scope="session")
def postgres_template():
    """A migrated PostgreSQL database that each restore's database is copied from (made on first
    use, dropped at the end of the session)."""
    made: list[str] = []

    def template() -> str:
        if not made:
            name = f"mhc_restore_template_{uuid.uuid4().hex[:8]}"
            with _postgres_admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            Target("postgresql", _postgres_url(name)).manage("migrate", "-v0")
        return made[0]

    yield template
    if made:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{made[0]}" WITH (FORCE)')


def _postgres_url(database: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture
def fresh_target(tmp_path, sqlite_template, postgres_template):
    """Makes an empty, migrated database of the engine asked for, with its own media folder."""
    made: list[str] = []

    def make(engine: str, name: str) -> Target:
        env = {
            "MEDIA_ROOT": str(tmp_path / f"media-{name}"),
            "REPORTS_DIR": str(tmp_path / f"reports-{name}"),
        }
        if engine == "sqlite":
            path = tmp_path / f"{name}.sqlite3"
            shutil.copy(sqlite_template, path)
            return Target("sqlite", f"sqlite:///{path}", env)
        template = postgres_template()
        database = f"mhc_restore_{uuid.uuid4().hex[:12]}"
        with _postgres_admin() as admin:
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        made.append(database)
        return Target("postgresql", _postgres_url(database), env)

    yield make
    if made:
        with _postgres_admin() as admin:
            for database in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def this_engine() -> str:
    return connection.vendor


def other_engine() -> str:
    return "postgresql" if connection.vendor == "sqlite" else "sqlite"


@pytest.fixture
def varied_data(db, settings, tmp_path):
    """The demo data set, and what the demo lacks: a granted user in a group with permissions
    (the "editor" group a migration creates, so a restore replaces a seeded group with the
    export's version of it), an admin log entry (a content type by natural key), an undo event
    (a key to its own table), a system attribute the owner relabelled, times with microseconds,
    JSON in no sorted order."""
    settings.REPORTS_DIR = tmp_path / "reports"
    load_demo()
    editors = Group.objects.get(name="editor")
    editors.permissions.add(*Permission.objects.filter(codename__in=["change_note", "view_note"]))
    helper = UserFactory(username="helper", password="helper-pass-123")
    helper.groups.add(editors)
    helper.user_permissions.add(Permission.objects.get(codename="view_person"))
    person = Person.objects.order_by("username").first()
    LogEntry.objects.create(
        user=helper,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=person.username,
        action_flag=ADDITION,
        change_message="[]",
    )
    first = event_record(
        kind="test.changed", summary="changed", person=person, data={"zeta": 1, "alpha": [2, 1]}
    )
    event_record(kind="test.changed", summary="undone", person=person, undoes=first)
    AttributeDefinition.objects.filter(key="watch_list").update(label="Keep an eye on")
    return person


def export_rows(folder: Path) -> dict[str, list[str]]:
    """Every table's lines, without the events that record an import (each restore adds one)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    rows = {}
    for label, table in manifest["tables"].items():
        lines = (folder / table["file"]).read_text().splitlines()
        if label == "events.event":
            lines = [line for line in lines if json.loads(line)["fields"]["kind"] != "backup.imported"]
        rows[label] = lines
    return rows


def assert_same_export(first: Path, second: Path) -> None:
    """The same schema, the same rows, the same files (keys, sizes and SHA-256) in both."""
    one, two = (json.loads((folder / "manifest.json").read_text()) for folder in (first, second))
    assert one["migrations"] == two["migrations"]
    assert one["files"] == two["files"]
    assert (first / "files.jsonl").read_bytes() == (second / "files.jsonl").read_bytes()
    assert set(one["tables"]) == set(two["tables"])
    rows_one, rows_two = export_rows(first), export_rows(second)
    for label in one["tables"]:
        assert rows_one[label] == rows_two[label], label
    for label, table in one["tables"].items():
        if label != "events.event":
            assert table == two["tables"][label], label
