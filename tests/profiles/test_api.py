import pytest
from django.urls import reverse

from profiles.models import Person, SectionPreference
from tests.factories import PersonFactory, ProfileFactory


@pytest.mark.django_db
def test_get_profile_returns_person_and_profile_fields(api_client, person):
    response = api_client.get(f"/api/profile/{person.username}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == person.username
    assert body["display_name"] == person.profile.display_name
    assert body["url"] == f"/profile/{person.username}/"
    assert {"followers", "rank", "smoke_drink", "tags", "social_links", "role"} <= set(body)


@pytest.mark.django_db
def test_the_username_in_the_path_is_case_insensitive(api_client, person):
    assert api_client.get(f"/api/profile/{person.username.upper()}").status_code == 200


@pytest.mark.django_db
def test_a_person_without_a_profile_still_has_one_to_read_and_write(api_client, bare_person):
    assert api_client.get(f"/api/profile/{bare_person.username}").json()["display_name"] == ""
    response = api_client.patch(
        f"/api/profile/{bare_person.username}", {"display_name": "New"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "New"


@pytest.mark.django_db
def test_unknown_username_is_404_json(api_client):
    response = api_client.get("/api/profile/nobody_here")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
def test_patch_changes_editable_fields_and_the_role(api_client, person):
    response = api_client.patch(
        f"/api/profile/{person.username}",
        {
            "location": "Lisbon",
            "tags": ["Leather"],
            "role": "both",
            "social_links": [{"label": "X", "url": "https://x.com/a"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["location"], body["tags"], body["role"]) == ("Lisbon", ["leather"], "both")
    assert Person.objects.get(pk=person.pk).role == "both"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": 12}, "age"),
        ({"age": "old"}, "age"),
        ({"followers": -1}, "followers"),
        ({"role": "alien"}, "role"),
        ({"social_links": [{"label": "x", "url": "javascript:alert(1)"}]}, "social_links"),
        ({"tags": "not-a-list"}, "tags"),
        ({"last_broadcast_at": "yesterday"}, "last_broadcast_at"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(api_client, person, payload, field):
    before = api_client.get(f"/api/profile/{person.username}").json()
    response = api_client.patch(f"/api/profile/{person.username}", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["detail"]
    assert field in "".join(body["errors"])
    assert api_client.get(f"/api/profile/{person.username}").json() == before


@pytest.mark.django_db
def test_read_only_fields_are_ignored_not_written(api_client, person):
    response = api_client.patch(f"/api/profile/{person.username}", {"username": "hijack"}, format="json")
    assert response.status_code == 200
    assert response.json()["username"] == person.username


@pytest.mark.django_db
def test_people_search_autocompletes_by_username_prefix(api_client):
    for name in ["alex_lord_", "alexis", "bricktiger"]:
        ProfileFactory(person=PersonFactory(username=name))
    response = api_client.get("/api/people?search=ALEX")
    assert response.status_code == 200
    body = response.json()
    assert [p["username"] for p in body["results"]] == ["alex_lord_", "alexis"]
    assert body["count"] == 2
    assert body["results"][0]["url"] == "/profile/alex_lord_/"


@pytest.mark.django_db
def test_people_list_is_paginated_with_flat_query_count(api_client, django_assert_num_queries):
    ProfileFactory.create_batch(120)
    with django_assert_num_queries(4):
        body = api_client.get("/api/people?limit=100").json()
    assert (body["count"], len(body["results"])) == (120, 100)
    rest = api_client.get(body["next"]).json()["results"]
    assert len(rest) == 20
    assert {p["username"] for p in body["results"]}.isdisjoint(p["username"] for p in rest)


@pytest.mark.django_db
def test_section_state_is_saved_for_the_user(api_client, owner_user):
    assert api_client.put("/api/ui/sections/quick-stats", {"open": False}, format="json").status_code == 204
    assert SectionPreference.objects.get(user=owner_user, section_key="quick-stats").is_open is False
    assert api_client.put("/api/ui/sections/no-such", {"open": False}, format="json").status_code == 404
    assert api_client.put("/api/ui/sections/quick-stats", {"open": "maybe"}, format="json").status_code == 400


@pytest.mark.django_db
def test_token_auth_works_for_scripts(token_client, person):
    assert token_client.get(f"/api/profile/{person.username}").status_code == 200


@pytest.mark.django_db
def test_schema_and_docs_are_served(api_client):
    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/profile/{username}" in schema.content.decode()
    docs = api_client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn.jsdelivr" not in docs.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/profile/not-a-username", "/api/no/such/endpoint"])
def test_api_addresses_that_match_nothing_answer_json_404(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_schema_gives_the_username_rule_wherever_a_username_is_sent(api_client):
    schemas = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()["components"][
        "schemas"
    ]
    for component, field in [
        ("CollaborationAddRequest", "collaborator_username"),
        ("RelationshipCreateRequest", "related_username"),
    ]:
        assert schemas[component]["properties"][field]["pattern"] == r"^\s*[A-Za-z0-9_]{1,64}\s*$"
    assert schemas["CollaborationGroupRequest"]["properties"]["usernames"]["items"]["pattern"]
