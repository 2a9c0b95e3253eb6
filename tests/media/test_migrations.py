"""The journal's migration to one unfinished move a place refuses a database it cannot index."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from media.models import MediaMove

pytestmark = [
    pytest.mark.django_db,
    # DDL is transactional there: the index dropped for the test comes back with the rollback.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="drops the index inside the test"),
]

migration = importlib.import_module("media.migrations.0008_one_unfinished_move_per_target")


def _unfinished(target: str, source: str) -> None:
    MediaMove.objects.create(
        source_key=source, target_key=target, reason="test", size_bytes=1, sha256="0" * 64
    )


def test_two_unfinished_moves_to_one_place_stop_the_migration_with_what_to_run():
    (constraint,) = MediaMove._meta.constraints
    with connection.schema_editor() as editor:
        editor.remove_constraint(MediaMove, constraint)
    _unfinished("QUARANTINE/a.jpg", "people/x/a.jpg")
    _unfinished("QUARANTINE/a.jpg", "people/y/a.jpg")
    _unfinished("QUARANTINE/b.jpg", "people/x/b.jpg")

    with pytest.raises(RuntimeError, match=r"QUARANTINE/a\.jpg\. Run `manage\.py media_quarantine_deleted"):
        migration.refuse_two_unfinished_to_one_place(apps, None)

    MediaMove.objects.filter(source_key="people/y/a.jpg").update(state=MediaMove.State.ROLLED_BACK)
    migration.refuse_two_unfinished_to_one_place(apps, None)  # nothing to refuse any more
