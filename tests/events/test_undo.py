"""Undo of a single change from the history, through the API (POST /api/events/<id>/undo)."""

import pytest

from attributes.models import AttributeHistory, PersonAttribute
from collaborations.models import Collaboration
from collaborations.services import collaboration_add, collaboration_remove
from events.models import Event
from events.selectors import events_of
from notes.models import Note
from notes.services import note_create, note_delete
from profiles.services import profile_update
from relationships.models import Relationship, RelationshipHistory
from relationships.services import profile_get_or_create, relationship_create, relationship_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def undo(api_client, event: Event, why: str = ""):
    return api_client.post(f"/api/events/{event.pk}/undo", {"why": why}, format="json")


def latest(person, kind: str) -> Event:
    return events_of(person, kinds=[kind]).first()


def test_undoing_an_attribute_change_puts_the_old_value_back_as_an_event_that_undoes_it(
    api_client, person, owner_user
):
    api_client.patch(
        f"/api/profile/{person.username}/attributes", {"watch_list": True, "why": "rude"}, format="json"
    )
    change = latest(person, "attribute")
    assert change.why == "rude"

    response = undo(api_client, change, why="misread the chat")

    assert response.status_code == 201, response.content
    [body] = response.json()
    assert body["undoes"] == change.pk
    assert body["why"] == "misread the chat"
    assert body["kind"] == "attribute.cleared"
    assert not PersonAttribute.objects.get(person=person, attribute_id="watch_list").value
    assert Event.objects.get(pk=change.pk).undone_by.count() == 1
    # The attribute's own history names who undid it, as for any change they make.
    assert AttributeHistory.objects.filter(person=person).latest("changed_at").changed_by == owner_user


def test_a_change_is_undone_only_once_and_not_after_a_later_change(api_client, person):
    api_client.patch(f"/api/profile/{person.username}/attributes", {"watch_list": True}, format="json")
    first = latest(person, "attribute")
    assert undo(api_client, first).status_code == 201
    assert undo(api_client, first).status_code == 409

    api_client.patch(f"/api/profile/{person.username}/attributes", {"watch_list": True}, format="json")
    set_again = latest(person, "attribute")
    api_client.patch(f"/api/profile/{person.username}/attributes", {"watch_list": False}, format="json")
    response = undo(api_client, set_again)
    assert response.status_code == 409
    assert "changed since" in response.json()["detail"]


def test_undoing_a_profile_edit_restores_each_field(api_client, person):
    response = api_client.patch(
        f"/api/profile/{person.username}", {"location": "Paris", "age": 41, "why": "new bio"}, format="json"
    )
    assert response.status_code == 200
    edit = latest(person, "profile")
    assert edit.why == "new bio"

    assert undo(api_client, edit).status_code == 201
    person.profile.refresh_from_db()
    assert (person.profile.location, person.profile.age) == ("Berlin, Germany", 30)


def test_undoing_a_note_delete_brings_the_note_back(api_client, person):
    note = note_create(person=person, content="remember the blue shirt", category="pm")
    note_delete(note=note, why="cleaning up")
    assert not Note.objects.exists()

    assert undo(api_client, latest(person, "note")).status_code == 201
    restored = Note.objects.get()
    assert (restored.content, restored.category, restored.created_at) == (note.content, "pm", note.created_at)


def test_undoing_relationship_adding_change_and_removal(api_client, person, owner_user):
    other = PersonFactory()
    relationship = relationship_create(
        profile=profile_get_or_create(person=person), person=other, type="friend"
    )
    relationship_update(relationship=relationship, tier="tier3")
    changed = latest(person, "relationship")
    assert undo(api_client, changed).status_code == 201
    relationship.refresh_from_db()
    assert relationship.tier == "tier1"

    api_client.delete(f"/api/profile/{person.username}/relationships/{relationship.pk}?why=fell+out")
    removed = latest(person, "relationship")
    assert (removed.kind, removed.why) == ("relationship.removed", "fell out")
    assert undo(api_client, removed).status_code == 201
    assert Relationship.objects.get(profile__person=person).type == "friend"
    # Each undo's history row names who undid it (the two rows before them, made by the app, none).
    undone_by = RelationshipHistory.objects.filter(profile__person=person).order_by("changed_at", "id")
    assert [row.changed_by for row in undone_by] == [None, None, owner_user, owner_user, owner_user]


def test_undoing_a_collaboration_removal_adds_the_pair_back(api_client):
    alex, david = PersonFactory(), PersonFactory()
    collaboration_add(person=alex, other=david, notes="same room")
    collaboration_remove(person=alex, other=david)

    assert undo(api_client, latest(david, "collaboration")).status_code == 201
    assert Collaboration.objects.get().notes == "same room"


def test_what_cannot_be_undone_is_a_409_and_an_unknown_event_a_404(api_client, person):
    note_create(person=person, content="hello")
    assert undo(api_client, latest(person, "note")).status_code == 409
    assert api_client.post("/api/events/999999/undo", {}, format="json").status_code == 404


def test_undoing_a_profile_edit_overtaken_by_a_later_edit_is_refused(api_client, person):
    profile_update(person=person, location="Rome")
    edit = latest(person, "profile")
    profile_update(person=person, location="Oslo")

    response = undo(api_client, edit)
    assert response.status_code == 409
    person.profile.refresh_from_db()
    assert person.profile.location == "Oslo"


def test_a_derived_attribute_is_not_offered_for_undo_and_undoing_the_profile_edit_derives_it_again(
    api_client, person
):
    PersonAttribute.objects.filter(person=person, attribute_id="profile_smoke").delete()
    profile_update(person=person, smoke_drink="No/Yes")
    profile_update(person=person, smoke_drink="Yes/No")
    derived = latest(person, "attribute")
    assert (derived.data["key"], derived.kind, derived.actor_kind) == (
        "profile_smoke",
        "attribute.set",
        "app",
    )
    listed = {
        row["id"]: row for row in api_client.get(f"/api/events?person={person.username}").json()["results"]
    }
    assert listed[derived.pk]["can_undo"] is False

    response = undo(api_client, derived)

    assert response.status_code == 409
    assert "derived by the app" in response.json()["detail"]
    assert PersonAttribute.objects.get(person=person, attribute_id="profile_smoke").value
    assert undo(api_client, latest(person, "profile")).status_code == 201
    assert not PersonAttribute.objects.get(person=person, attribute_id="profile_smoke").value
