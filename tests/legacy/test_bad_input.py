"""Bad sources: one clear message naming what is missing, a non-zero exit, nothing written."""

import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from legacy.models import ImportProgress, LegacyRecord
from media.models import MediaJob
from profiles.models import Person
from tests.legacy.source import create_schema, database

pytestmark = pytest.mark.django_db


def refused(url: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_legacy", url, "--apply")
    assert Person.objects.count() == 0
    assert LegacyRecord.objects.count() == 0
    assert ImportProgress.objects.count() == 0
    assert not MediaJob.objects.filter(
        state=MediaJob.State.STOPPED
    ).exists()  # the jobs were not even stopped
    return str(error.value)


def test_an_unreachable_server_is_named():
    message = refused("postgresql://postgres@127.0.0.1:1/mhc")
    assert message.startswith("Cannot open the source database postgresql://postgres@127.0.0.1:1/mhc")


def test_a_missing_database_or_role_is_named():
    assert "does not exist" in refused("postgresql://postgres@127.0.0.1:5432/legacy_src_i12_nowhere")
    assert 'role "nobody_i12" does not exist' in refused("postgresql://nobody_i12@127.0.0.1:5432/postgres")


def test_a_password_never_appears_in_the_message():
    message = refused("postgresql://someone:s3cret-pass@127.0.0.1:1/mhc")
    assert "s3cret-pass" not in message
    assert "someone:***@" in message


def test_a_database_that_is_not_mhc_is_refused_naming_the_missing_tables():
    with database() as url:
        assert refused(url) == "This is not an MHC Control Panel database: it lacks persons, profiles."
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE persons (id uuid PRIMARY KEY, name text)")
        message = refused(url)
        assert "persons (platform, username)" in message
        assert "profiles" in message


def test_a_schema_newer_than_known_is_refused():
    with database() as url:
        create_schema(url, "current")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO migrations (id, name) VALUES (97, '097_new_things.sql')")
        message = refused(url)
        assert "newer than this importer knows" in message
        assert "097_new_things.sql" in message


def test_a_schema_with_neither_flag_columns_nor_attribute_lookup_is_refused():
    with database() as url:
        create_schema(url, "current")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TABLE attribute_lookup")
        assert "Unknown MHC schema" in refused(url)


def test_the_command_exits_non_zero_with_one_line_on_bad_input(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "mhc.settings_test",
    }
    import os

    result = subprocess.run(
        [sys.executable, "manage.py", "import_legacy", "postgresql://postgres@127.0.0.1:1/mhc"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip().startswith("CommandError: Cannot open the source database")


def test_the_source_is_opened_read_only(legacy_current):
    from legacy.importer.source import Source

    source = Source(legacy_current.url)
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            source.rows("DELETE FROM persons")
    finally:
        source.close()
