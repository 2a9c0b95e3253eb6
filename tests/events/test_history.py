"""The history keeps everything: each service records its change as an event, with the why."""

import io

import pytest

from attributes.models import AttributeDefinition
from attributes.services import attribute_set, definition_create, definition_delete
from collaborations.services import collaboration_add, collaboration_add_group, collaboration_remove
from events.context import Actor, acting_as
from events.models import Event
from events.selectors import events_of
from media.models import MediaSource
from media.services import media_create, media_restore, media_set_primary, media_soft_delete
from notes.services import note_create, note_delete, note_update
from profiles.services import person_get_or_create, person_profile_update
from relationships.services import profile_get_or_create, relationship_create, relationship_remove
from tests.factories import PersonFactory
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def kinds(person) -> list[str]:
    return list(events_of(person).values_list("kind", flat=True))


def test_a_removed_collaboration_keeps_its_adding_on_both_profiles():
    alex, david = PersonFactory(username="alex"), PersonFactory(username="david")
    collaboration_add(person=alex, other=david, why="seen in the same room")
    collaboration_remove(person=david, other=alex, why="it was his twin")

    assert kinds(alex) == ["collaboration.removed", "collaboration.added"]
    assert kinds(david) == ["collaboration.removed", "collaboration.added"]
    assert list(events_of(alex).values_list("why", flat=True)) == ["it was his twin", "seen in the same room"]


def test_a_group_records_one_event_per_new_pair():
    people = PersonFactory.create_batch(3)
    collaboration_add_group(people=people, why="group show")
    collaboration_add_group(people=people)

    assert Event.objects.filter(kind="collaboration.added").count() == 3
    assert kinds(people[0]) == ["collaboration.added", "collaboration.added"]


def test_note_edits_and_deletes_are_events_and_the_deletion_keeps_the_text(person):
    note = note_create(person=person, content="first words")
    note_update(note=note, content="second words", why="typo")
    note_delete(note=note)

    assert kinds(person) == ["note.deleted", "note.edited", "note.created"]
    deleted = events_of(person).first()
    assert deleted.data["note"]["content"] == "second words"
    assert events_of(person)[1].why == "typo"


def test_attribute_changes_and_definition_changes_are_events(person):
    definition_create(key="regular", label="Regular")
    attribute_set(person=person, key="regular", value=True, why="tipped three nights")
    attribute_set(person=person, key="regular", value=True)  # no change, no event
    attribute_set(person=person, key="watch_list", value=True)
    definition_delete(definition=AttributeDefinition.objects.get(key="regular"))

    assert kinds(person) == ["attribute.cleared", "attribute.set", "attribute.set"]
    assert Event.objects.filter(kind__startswith="attribute.definition_").count() == 2


def test_relationship_adding_change_and_removal_are_events_on_both_people(person):
    other = PersonFactory()
    relationship = relationship_create(
        profile=profile_get_or_create(person=person), person=other, type="friend", why="met at a show"
    )
    relationship_remove(relationship=relationship)

    assert kinds(other) == ["relationship.removed", "relationship.added"]
    assert events_of(person).last().why == "met at a show"


def test_profile_edits_keep_old_and_new_values_and_a_new_person_is_an_event(person):
    person_profile_update(person=person, role="viewer", location="Berlin", why="bio says so")
    _, created = person_get_or_create(username="brand_new")

    edits = list(events_of(person))
    assert {event.kind for event in edits} == {"profile.edited"}
    changes = {name: change for event in edits for name, change in event.data["changes"].items()}
    assert changes["location"] == {"old": "Berlin, Germany", "new": "Berlin"}
    assert changes["role"]["new"] == "viewer"
    assert created
    assert Event.objects.filter(kind="person.added", username="brand_new").exists()


def test_image_upload_delete_restore_and_primary_are_events(person):
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))
    media_set_primary(record=record)
    media_soft_delete(record=record)
    media_restore(record=record)

    assert kinds(person) == ["media.restored", "media.deleted", "media.primary_set", "media.added"]


def test_what_a_job_adds_says_the_job_did_it(person):
    with acting_as(Actor.job("profile-capture")):
        media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))

    event = events_of(person).get()
    assert (event.actor_kind, event.actor_name, event.actor_label) == (
        "job",
        "profile-capture",
        "job profile-capture",
    )
