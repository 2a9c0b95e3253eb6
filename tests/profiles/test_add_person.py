"""Adding a person by hand: POST /api/people (the directory's "Add person" uses it)."""

import pytest

from events.models import Event
from profiles.models import Person
from profiles.services import person_rename

pytestmark = pytest.mark.django_db


def test_adding_a_person_with_profile_fields_records_an_event(api_client):
    response = api_client.post(
        "/api/people",
        {
            "username": " Leather_Rex ",
            "role": "model",
            "display_name": "Rex",
            "age": 33,
            "why": "met at a bar",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["role"], body["display_name"], body["age"]) == (
        "leather_rex",
        "model",
        "Rex",
        33,
    )
    assert body["url"] == "/profile/leather_rex/"
    event = Event.objects.get(kind="person.added")
    assert (event.username, event.why, event.actor_kind) == ("leather_rex", "met at a bar", "owner")


def test_a_taken_username_is_a_409_and_bad_input_a_400_that_creates_nothing(api_client, person):
    taken = api_client.post("/api/people", {"username": person.username}, format="json")
    assert taken.status_code == 409
    assert "already in the app" in taken.json()["detail"]
    for bad in (
        {"username": "no spaces"},
        {"username": "ok_name", "role": "king"},
        {"username": "ok_name", "age": 12},
    ):
        response = api_client.post("/api/people", bad, format="json")
        assert response.status_code == 400, (bad, response.content)
    assert not Person.objects.filter(username="ok_name").exists()


def test_a_person_without_profile_fields_gets_no_profile(api_client):
    assert api_client.post("/api/people", {"username": "just_seen"}, format="json").status_code == 201
    person = Person.objects.get(username="just_seen")
    assert person.role == "unknown"
    assert not hasattr(person, "profile")


def test_someones_former_name_is_a_409_naming_them_rather_than_a_second_person(api_client, person):
    old_name = person.username
    person_rename(person=person, new_username="renamed_since")

    response = api_client.post("/api/people", {"username": old_name}, format="json")

    assert response.status_code == 409
    assert f"{old_name} is a former name of renamed_since" in response.json()["detail"]
    assert list(Person.objects.values_list("username", flat=True)) == ["renamed_since"]
