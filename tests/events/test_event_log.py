import pytest
from django.test import RequestFactory

from events.context import Actor, acting_as, serving
from events.models import AppendOnlyError, Event
from events.selectors import events_of
from events.services import event_build, event_record, events_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_event_shows_on_both_people_it_concerns():
    alex, david = PersonFactory(username="alex"), PersonFactory(username="david")
    event = event_record(kind="collaboration.added", summary="alex and david", person=alex, other=david)

    assert list(events_of(alex)) == [event]
    assert list(events_of(david)) == [event]
    assert event.username == "alex"
    assert event.other_username == "david"


def test_an_event_cannot_be_changed_or_removed():
    event = event_record(kind="note.created", summary="Note added", person=PersonFactory())

    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    assert Event.objects.get().summary == "Note added"


def test_the_actor_is_whoever_is_acting():
    person = PersonFactory()
    with acting_as(Actor.job("affiliate-polling")):
        event_record(kind="media.added", summary="Snapshot", person=person)
    event_record(kind="note.created", summary="Note", person=person)

    kinds = list(events_of(person).values_list("actor_kind", "actor_name"))
    assert kinds == [("app", ""), ("job", "affiliate-polling")]


def test_a_request_records_its_signed_in_user(owner_user, person):
    request = RequestFactory().get("/")
    request.user = owner_user
    with serving(request):
        event = event_record(kind="profile.edited", summary="Edited", person=person)

    assert (event.actor_kind, event.actor_name) == ("owner", "owner")


def test_kinds_filter_by_prefix_and_bulk_recording():
    person = PersonFactory()
    events_record(
        [
            event_build(kind="note.created", summary="a", person=person),
            event_build(kind="note.deleted", summary="b", person=person),
            event_build(kind="attribute.set", summary="c", person=person),
        ]
    )

    assert sorted(events_of(person, kinds=["note"]).values_list("kind", flat=True)) == [
        "note.created",
        "note.deleted",
    ]
