"""The demo data shows the history's features: a removed collaboration, a bulk edit and an
undone change, and loading it again adds nothing."""

import pytest

from events.models import Event
from mhc.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_removed_collaboration_a_bulk_edit_and_an_undone_change():
    load_demo()
    removed = Event.objects.get(kind="collaboration.removed")
    assert (removed.username, removed.other_username) == ("mattiufr", "hot_guy_2000")
    assert Event.objects.filter(
        kind="collaboration.added", username="mattiufr", other_username="hot_guy_2000"
    ).exists()
    assert Event.objects.filter(kind="attribute.set", why__startswith="demo: all three").count() == 3
    undo = Event.objects.get(undoes__isnull=False)
    assert (undo.kind, undo.undoes.kind, undo.username) == ("attribute.cleared", "attribute.set", "mattiufr")
    assert {event.actor_name for event in Event.objects.all()} == {"load_demo"}

    count = Event.objects.count()
    load_demo()
    assert Event.objects.count() == count
