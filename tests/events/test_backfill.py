"""The history from before the event log becomes events once, and is not offered for undo."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attributes.services import attribute_set
from collaborations.services import collaboration_add
from events.models import Event
from notes.services import note_create
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
migration = import_module("events.migrations.0002_history_from_existing_rows")


def migration_apps():
    """The models as the migration sees them (historical models, without the app's managers)."""
    return (
        MigrationExecutor(connection).loader.project_state(("events", "0002_history_from_existing_rows")).apps
    )


def test_existing_history_becomes_events_that_cannot_be_undone(api_client, person):
    attribute_set(person=person, key="watch_list", value=True)
    note_create(person=person, content="from before")
    collaboration_add(person=person, other=PersonFactory())
    Event.objects.all()._raw_delete(Event.objects.db)  # as if written before the event log existed

    apps = migration_apps()
    migration.backfill(apps, None)

    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == ["attribute.set", "collaboration.added", "note.created"]
    watch = Event.objects.get(kind="attribute.set")
    assert api_client.post(f"/api/events/{watch.pk}/undo", {}, format="json").status_code == 409
    migration.backfill(apps, None)  # a second run adds nothing
    assert Event.objects.count() == 3
    migration.unbackfill(apps, None)
    assert not Event.objects.exists()
