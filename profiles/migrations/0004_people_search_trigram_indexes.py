"""Trigram indexes for the people search on PostgreSQL (`pg_trgm`): a username's start and any
part of a display name are then found through an index instead of by reading both tables.

Only PostgreSQL has them; on SQLite this migration does nothing (the search is correct there,
just not indexed). Reversing it drops the indexes and leaves the extension, which other data
may use.
"""

from django.db import migrations

INDEXES = (
    ("profiles_person_username_trgm", "profiles_person", "username"),
    ("profiles_profile_display_name_trgm", "profiles_profile", "UPPER(display_name)"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_former_usernames_alternates_merges")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
