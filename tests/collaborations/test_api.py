import pytest
from django.urls import reverse

from collaborations.models import Collaboration
from collaborations.selectors import are_collaborators
from collaborations.services import collaboration_add
from profiles.models import Person
from tests.collaborations.conftest import MANY
from tests.factories import PersonFactory


def url(username: str, other: str = "") -> str:
    return f"/api/profile/{username}/collaborations" + (f"/{other}" if other else "")


@pytest.mark.django_db
def test_list_shows_collaborators_from_either_side_sorted_by_username(api_client, alex, david):
    collaboration_add(person=david, other=alex, notes="seen together 2024-01-15")
    collaboration_add(person=alex, other=PersonFactory(username="bricktiger"))
    response = api_client.get(url("alex_lord_"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["username"] for row in body["results"]] == ["bricktiger", "david_stain"]
    david_row = body["results"][1]
    assert set(david_row) == {"username", "display_name", "notes", "first_seen_at", "created_at", "url"}
    assert (david_row["display_name"], david_row["notes"], david_row["url"]) == (
        "David",
        "seen together 2024-01-15",
        "/profile/david_stain/",
    )
    assert [row["username"] for row in api_client.get(url("david_stain")).json()["results"]] == ["alex_lord_"]


@pytest.mark.django_db
def test_list_of_hundreds_is_paginated_in_a_flat_number_of_queries(
    api_client, popular_person, django_assert_num_queries
):
    # session + user + the person in the path + count + one page
    with django_assert_num_queries(5):
        response = api_client.get(url(popular_person.username) + "?limit=200&offset=100")
    body = response.json()
    assert body["count"] == MANY
    assert len(body["results"]) == 200
    assert body["results"][0]["username"] == "guest_0100"
    assert body["results"][0]["display_name"] == "Guest 50"


@pytest.mark.django_db
def test_token_authenticated_scripts_can_list(token_client, alex):
    assert token_client.get(url("alex_lord_")).status_code == 200


@pytest.mark.django_db
def test_post_adds_a_collaborator_that_shows_on_both_profiles(api_client, alex, david):
    response = api_client.post(
        url("alex_lord_"),
        {"collaborator_username": "David_Stain", "notes": "seen together 2024-01-15"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["username"], body["display_name"], body["notes"], body["new_person"]) == (
        "david_stain",
        "David",
        "seen together 2024-01-15",
        False,
    )
    assert are_collaborators(alex, david)
    assert api_client.get(url("david_stain")).json()["results"][0]["username"] == "alex_lord_"


@pytest.mark.django_db
def test_post_for_an_existing_pair_is_200_and_updates_notes_only_when_given(api_client, alex, david):
    collaboration_add(person=david, other=alex, notes="first notes")
    response = api_client.post(url("alex_lord_"), {"collaborator_username": "david_stain"}, format="json")
    assert response.status_code == 200
    assert response.json()["notes"] == "first notes"
    response = api_client.post(
        url("alex_lord_"), {"collaborator_username": "david_stain", "notes": None}, format="json"
    )
    assert response.json()["notes"] == "first notes"
    response = api_client.post(
        url("alex_lord_"), {"collaborator_username": "david_stain", "notes": "newer notes"}, format="json"
    )
    assert (response.status_code, response.json()["notes"]) == (200, "newer notes")
    assert Collaboration.objects.get().notes == "newer notes"


@pytest.mark.django_db
def test_post_accepts_when_they_were_first_seen_together(api_client, alex, david):
    response = api_client.post(
        url("alex_lord_"),
        {"collaborator_username": "david_stain", "first_seen_at": "2024-01-15T21:00:00Z"},
        format="json",
    )
    assert response.json()["first_seen_at"] == "2024-01-15T21:00:00Z"


@pytest.mark.django_db
def test_post_with_a_username_nobody_has_seen_creates_that_person_and_says_so(api_client, alex):
    response = api_client.post(url("alex_lord_"), {"collaborator_username": "brand_new_guy"}, format="json")
    assert response.status_code == 201
    assert response.json()["new_person"] is True
    assert response.json()["display_name"] == ""
    new = Person.objects.get(username="brand_new_guy")
    assert new.role == Person.Role.UNKNOWN
    assert are_collaborators(alex, new)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"collaborator_username": "alex_lord_"}, "own collaborator"),
        ({"collaborator_username": "ALEX_LORD_"}, "own collaborator"),
        ({"collaborator_username": "not a name!"}, "collaborator_username"),
        ({"collaborator_username": "x" * 65}, "collaborator_username"),
        ({"collaborator_username": ""}, "collaborator_username"),
        ({"collaborator_username": ["david_stain"]}, "collaborator_username"),
        ({}, "collaborator_username"),
        ({"collaborator_username": "someone_new", "notes": "x" * 2001}, "notes"),
        ({"collaborator_username": "someone_new", "notes": {"a": 1}}, "notes"),
        ({"collaborator_username": "someone_new", "first_seen_at": "last tuesday"}, "first_seen_at"),
    ],
)
def test_bad_input_is_400_with_a_clear_message_and_changes_nothing(api_client, alex, payload, message):
    people = Person.objects.count()
    response = api_client.post(url("alex_lord_"), payload, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Person.objects.count() == people
    assert not Collaboration.objects.exists()


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_400(api_client, alex):
    response = api_client.generic("POST", url("alex_lord_"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_profile_in_the_path_is_404(api_client, method):
    response = getattr(api_client, method)(
        url("nobody_here"), {"collaborator_username": "david_stain"}, format="json"
    )
    assert response.status_code == 404
    assert "nobody_here" in response.json()["detail"]
    assert not Person.objects.filter(username="david_stain").exists()


@pytest.mark.django_db
def test_delete_removes_the_pair_from_both_profiles(api_client, alex, david):
    collaboration_add(person=alex, other=david)
    response = api_client.delete(url("david_stain", "alex_lord_"))
    assert response.status_code == 204
    assert response.content == b""
    assert not Collaboration.objects.exists()
    assert api_client.get(url("alex_lord_")).json()["count"] == 0


@pytest.mark.django_db
def test_delete_of_people_who_are_not_collaborators_is_404(api_client, alex, david):
    collaboration_add(person=alex, other=PersonFactory(username="bricktiger"))
    response = api_client.delete(url("alex_lord_", "david_stain"))
    assert response.status_code == 404
    assert response.json()["detail"] == "alex_lord_ and david_stain are not collaborators."
    assert api_client.delete(url("alex_lord_", "alex_lord_")).status_code == 404
    assert api_client.delete(url("alex_lord_", "nobody_here")).status_code == 404
    assert api_client.delete(url("nobody_here", "alex_lord_")).status_code == 404
    assert Collaboration.objects.count() == 1


@pytest.mark.django_db
def test_a_group_adds_every_pair_and_creates_unseen_people(api_client, alex, david):
    response = api_client.post(
        "/api/collaborations/groups",
        {"usernames": ["alex_lord_", "David_Stain", "new_guest", "alex_lord_"], "notes": "group show"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "usernames": ["alex_lord_", "david_stain", "new_guest"],
        "pairs": 3,
        "created": 3,
        "new_people": ["new_guest"],
    }
    guest = Person.objects.get(username="new_guest")
    assert are_collaborators(guest, alex)
    assert are_collaborators(guest, david)
    assert are_collaborators(alex, david)
    again = api_client.post(
        "/api/collaborations/groups", {"usernames": ["new_guest", "alex_lord_"]}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["created"] == 0
    assert Collaboration.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"usernames": ["alex_lord_"]}, "at least two"),
        ({"usernames": ["new_one", "NEW_ONE"]}, "at least two"),
        ({"usernames": []}, "usernames"),
        ({"usernames": "alex_lord_,new_one"}, "usernames"),
        ({"usernames": ["alex_lord_", "bad name"]}, "usernames"),
        ({"usernames": [f"guest_{i}" for i in range(51)]}, "usernames"),
        ({}, "usernames"),
    ],
)
def test_a_bad_group_is_400_and_changes_nothing(api_client, alex, payload, message):
    people = Person.objects.count()
    response = api_client.post("/api/collaborations/groups", payload, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Person.objects.count() == people
    assert not Collaboration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/profile/someone/collaborations"),
        ("post", "/api/profile/someone/collaborations"),
        ("delete", "/api/profile/someone/collaborations/other"),
        ("post", "/api/collaborations/groups"),
    ],
)
def test_anonymous_scripts_get_401(client, method, path):
    response = getattr(client, method)(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_endpoints_are_in_the_openapi_schema_with_examples(api_client):
    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    collection = paths["/api/profile/{username}/collaborations"]
    assert {"get", "post"} <= set(collection)
    assert "delete" in paths["/api/profile/{username}/collaborations/{collaborator_username}"]
    assert "post" in paths["/api/collaborations/groups"]
    post = collection["post"]
    assert "examples" in post["requestBody"]["content"]["application/json"]
    assert {"200", "201"} <= set(post["responses"])
    assert "examples" in post["responses"]["201"]["content"]["application/json"]
    assert (
        "examples"
        in paths["/api/collaborations/groups"]["post"]["requestBody"]["content"]["application/json"]
    )
