"""A merge racing other writes to the two people, on PostgreSQL (the production database): the
merge locks both people, so the other write waits for it or fails cleanly, and nothing is lost."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from notes.models import Note
from notes.services import note_create
from profiles.merging import services as merging_services
from profiles.models import Person
from profiles.services import person_merge
from tests.profiles.merge_helpers import person_with_profile

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write with a database lock, so nothing can race a merge there; "
        "this runs on PostgreSQL (DATABASE_URL=postgres://...).",
    ),
    pytest.mark.django_db(transaction=True),
]


def _thread(target) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(target())
        except BaseException as error:  # kept as the outcome, and asserted on by the test
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_write_left_open_across_a_merge_fails_cleanly_at_its_commit():
    # Django's foreign keys are checked at commit on PostgreSQL, so an insert still open when the
    # merge locks the people holds no lock the merge waits for; it is refused when it commits
    # (the merged profile is gone) and leaves nothing half-done.
    keep, merge = person_with_profile("alex"), person_with_profile("alex_two")
    written, release = threading.Event(), threading.Event()

    def slow_note():
        with transaction.atomic():
            note_create(person=merge, content="written while the merge runs")
            written.set()
            release.wait(timeout=30)

    writer, wrote = _thread(slow_note)
    assert written.wait(timeout=30)
    merger, merged = _thread(lambda: person_merge(keep=keep, merge=merge))
    merger.join(timeout=30)
    release.set()
    writer.join(timeout=30)
    assert not isinstance(merged[0], BaseException), merged[0]
    assert isinstance(wrote[0], IntegrityError)
    assert not Note.objects.exists()
    assert Person.objects.filter(pk=keep.pk).exists()
    assert not Person.objects.filter(pk=merge.pk).exists()


def test_a_write_that_comes_during_a_merge_waits_and_then_fails_cleanly_or_lands(monkeypatch, owner_user):
    keep, merge = person_with_profile("alex"), person_with_profile("alex_two")
    note_create(person=merge, content="before the merge")
    applying, release = threading.Event(), threading.Event()
    real_apply = merging_services.merge_apply

    def slow_apply(plan):
        applying.set()
        release.wait(timeout=30)
        real_apply(plan)

    monkeypatch.setattr(merging_services, "merge_apply", slow_apply)
    merger, merged = _thread(lambda: person_merge(keep=keep, merge=merge))
    assert applying.wait(timeout=30)
    client = APIClient()
    client.force_login(owner_user)
    writer, answered = _thread(
        lambda: client.post("/api/profile/alex_two/notes", {"content": "during the merge"}, format="json")
    )
    time.sleep(0.7)
    assert not answered, "a write to the merged person went ahead during the merge"
    release.set()
    merger.join(timeout=30)
    writer.join(timeout=30)
    assert not isinstance(merged[0], BaseException), merged[0]
    response = answered[0]
    assert response.status_code in (201, 409), response.content
    assert "detail" in response.json() or response.status_code == 201
    expected = {"before the merge"} | ({"during the merge"} if response.status_code == 201 else set())
    assert set(Note.objects.filter(profile__person=keep).values_list("content", flat=True)) == expected
    assert Note.objects.count() == len(expected)
    assert not Person.objects.filter(pk=merge.pk).exists()
