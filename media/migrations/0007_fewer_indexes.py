"""Drop the indexes a composite index already covers (person_id, which both
media_locator_person_captured and affiliate_person_observed start with) and the LIKE index of
sha256 (looked up by equality only): fewer indexes to maintain on the two largest tables.

The person indexes are dropped by name rather than by AlterField(db_index=False): on PostgreSQL
that also drops every other single-column index of person_id, the partial unique index behind
"one live primary per person" among them.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "media_locator": "media_locator_person_id_b0b6c83c",
    "affiliate_api_snapshots": "affiliate_api_snapshots_person_id_912cc981",
}


def _drop_person_index(table: str, model_name: str, on_delete, related_name: str):
    name = INDEXES[table]
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f"DROP INDEX IF EXISTS {name}", reverse_sql=f"CREATE INDEX {name} ON {table} (person_id)"
            )
        ],
        state_operations=[
            migrations.AlterField(
                model_name=model_name,
                name="person",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=on_delete,
                    related_name=related_name,
                    to="profiles.person",
                    verbose_name="person",
                ),
            )
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0006_media_job_last_cycle"),
        ("profiles", "0004_people_search_trigram_indexes"),
    ]

    operations = [
        _drop_person_index(
            "affiliate_api_snapshots",
            "affiliatesnapshot",
            django.db.models.deletion.CASCADE,
            "affiliate_snapshots",
        ),
        _drop_person_index(
            "media_locator", "mediarecord", django.db.models.deletion.PROTECT, "media_records"
        ),
        migrations.AlterField(
            model_name="mediarecord",
            name="sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="SHA-256"),
        ),
        migrations.AddIndex(
            model_name="mediarecord",
            index=models.Index(fields=["sha256"], name="media_locator_sha256"),
        ),
    ]
