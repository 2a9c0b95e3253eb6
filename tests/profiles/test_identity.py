"""Renames, former usernames and alternate accounts: services, API, pages and admin."""

import pytest

from events.models import Event
from events.selectors import events_of
from mhc.exceptions import Conflict
from profiles.models import AlternateAccount, FormerUsername, Person
from profiles.services import alternate_link, former_username_add, person_get_or_create, person_rename
from tests.factories import PersonFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alex():
    return ProfileFactory(person__username="alex_lord_", display_name="Alex").person


def test_renaming_through_the_api_answers_with_the_person_under_the_new_name(api_client, alex):
    response = api_client.post(
        "/api/profile/alex_lord_/rename", {"new_username": " Alex_New "}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["url"], body["former_usernames"]) == (
        "alex_new",
        "/profile/alex_new/",
        ["alex_lord_"],
    )
    assert Person.objects.get(pk=alex.pk).username == "alex_new"
    former = FormerUsername.objects.get(username="alex_lord_")
    assert former.person_id == alex.pk
    assert former.used_until is not None


def test_the_old_name_still_answers_after_a_rename(api_client, auth_client, alex):
    person_rename(person=alex, new_username="alex_new")
    assert api_client.get("/api/profile/alex_lord_").json()["username"] == "alex_new"
    response = auth_client.get("/profile/alex_lord_/")
    # Temporary: a browser must not cache it, since the old name may pass to someone else.
    assert response.status_code == 302
    assert response["Location"] == "/profile/alex_new/"
    assert auth_client.get("/profile/alex_new/").status_code == 200
    assert auth_client.get("/profile/nobody_at_all/").status_code == 404


def test_search_and_autocomplete_find_people_by_a_former_name(api_client, auth_client, alex):
    person_rename(person=alex, new_username="zed_new")
    usernames = [p["username"] for p in api_client.get("/api/people?search=alex_lo").json()["results"]]
    assert usernames == ["zed_new"]
    assert "zed_new" in auth_client.get("/people/?q=alex_lo").content.decode()


def test_a_former_name_is_not_a_new_person(alex):
    person_rename(person=alex, new_username="alex_new")
    found, created = person_get_or_create(username="alex_lord_")
    assert (found.pk, created) == (alex.pk, False)


def test_a_former_name_of_someone_else_needs_an_explicit_choice(api_client, alex):
    person_rename(person=alex, new_username="alex_new")
    other = PersonFactory(username="newcomer")
    response = api_client.post("/api/profile/newcomer/rename", {"new_username": "alex_lord_"}, format="json")
    assert response.status_code == 409
    assert "take_former" in response.json()["detail"]
    assert Person.objects.get(pk=other.pk).username == "newcomer"
    response = api_client.post(
        "/api/profile/newcomer/rename", {"new_username": "alex_lord_", "take_former": True}, format="json"
    )
    assert response.status_code == 200
    assert not FormerUsername.objects.filter(person=alex, username="alex_lord_").exists()
    assert events_of(alex).filter(kind="person.former_username_taken").exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"new_username": "david"}, 409),  # somebody is called that
        ({"new_username": "alex_lord_"}, 400),  # the same name
        ({"new_username": "bad name!"}, 400),
        ({}, 400),
        ({"new_username": ["alex_new"]}, 400),
    ],
)
def test_a_refused_rename_changes_nothing(api_client, alex, body, status):
    PersonFactory(username="david")
    response = api_client.post("/api/profile/alex_lord_/rename", body, format="json")
    assert response.status_code == status
    assert "detail" in response.json()
    assert Person.objects.get(pk=alex.pk).username == "alex_lord_"
    assert not FormerUsername.objects.exists()


def test_going_back_to_an_old_name_takes_it_back(alex):
    person_rename(person=alex, new_username="alex_new")
    person_rename(person=alex, new_username="alex_lord_")
    assert list(FormerUsername.objects.filter(person=alex).values_list("username", flat=True)) == ["alex_new"]


def test_a_rename_is_an_event(alex):
    person_rename(person=alex, new_username="alex_new", why="platform rename")
    event = events_of(alex).get(kind="person.renamed")
    assert (event.data, event.why) == ({"old": "alex_lord_", "new": "alex_new"}, "platform rename")


def test_former_username_add_is_what_an_import_calls(alex):
    former = former_username_add(person=alex, username="Alex_Older")
    assert former.username == "alex_older"
    assert former_username_add(person=alex, username="alex_older").pk == former.pk
    with pytest.raises(Conflict):
        former_username_add(person=PersonFactory(), username="alex_older")


def test_linking_alternates_shows_the_pair_on_both_profiles(api_client, auth_client, alex):
    david = ProfileFactory(person__username="david").person
    response = api_client.post(
        "/api/profile/alex_lord_/alternates", {"username": "David", "notes": "same voice"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["username"] == "david"
    assert AlternateAccount.objects.count() == 1
    listed = api_client.get("/api/profile/david/alternates").json()
    assert [(a["username"], a["notes"], a["url"]) for a in listed["results"]] == [
        ("alex_lord_", "same voice", "/profile/alex_lord_/")
    ]
    html = auth_client.get("/profile/david/sections/identity/").content.decode()
    assert 'href="/profile/alex_lord_/"' in html
    assert Event.objects.filter(kind="alternate.linked", person_id=alex.pk, other_person_id=david.pk).exists()
    assert events_of(david).filter(kind="alternate.linked").exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "david"}, 409),
        ({"username": "alex_lord_"}, 400),
        ({"username": "nobody_seen"}, 400),
        ({}, 400),
    ],
)
def test_a_refused_link_changes_nothing(api_client, alex, body, status):
    david = PersonFactory(username="david")
    alternate_link(person=alex, other=david)
    response = api_client.post("/api/profile/alex_lord_/alternates", body, format="json")
    assert response.status_code == status
    assert AlternateAccount.objects.count() == 1


def test_unlinking_alternates(api_client, alex):
    david = PersonFactory(username="david")
    alternate_link(person=david, other=alex)
    assert api_client.delete("/api/profile/alex_lord_/alternates/david").status_code == 204
    assert not AlternateAccount.objects.exists()
    assert api_client.delete("/api/profile/alex_lord_/alternates/david").status_code == 404
    assert events_of(david).filter(kind="alternate.unlinked").exists()


def test_the_profile_page_offers_rename_and_merge_and_shows_former_names(auth_client, alex):
    person_rename(person=alex, new_username="alex_new")
    html = auth_client.get("/profile/alex_new/").content.decode()
    assert 'data-open-modal="rename-person"' in html
    assert 'data-open-modal="merge-person"' in html
    assert "formerly" in html
    assert "alex_lord_" in html
    section = auth_client.get("/profile/alex_new/sections/identity/").content.decode()
    assert "alex_lord_" in section


def test_renaming_in_the_admin_goes_through_the_service(auth_client, alex):
    response = auth_client.post(
        "/admin/profiles/person/",
        {"action": "rename", "_selected_action": [str(alex.pk)], "new_username": "alex_admin"},
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=alex.pk).username == "alex_admin"
    assert FormerUsername.objects.filter(person=alex, username="alex_lord_").exists()
    page = auth_client.get(f"/admin/profiles/person/{alex.pk}/change/").content.decode()
    assert "alex_lord_" in page


def test_a_refused_rename_in_the_admin_says_why(auth_client, alex):
    PersonFactory(username="david")
    response = auth_client.post(
        "/admin/profiles/person/",
        {"action": "rename", "_selected_action": [str(alex.pk)], "new_username": "david"},
    )
    assert response.status_code == 200
    assert "Somebody else is called david" in response.content.decode()
    assert Person.objects.get(pk=alex.pk).username == "alex_lord_"


def test_the_admin_does_not_create_a_person_under_someone_elses_former_name(auth_client, alex):
    person_rename(person=alex, new_username="alex_new")
    response = auth_client.post(
        "/admin/profiles/person/add/",
        {
            "username": "alex_lord_",
            "platform": "chaturbate",
            "role": "unknown",
            "first_seen_at_0": "2024-01-01",
            "first_seen_at_1": "00:00:00",
            "last_seen_at_0": "2024-01-01",
            "last_seen_at_1": "00:00:00",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "former_usernames-TOTAL_FORMS": "0",
            "former_usernames-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "former name of alex_new" in response.content.decode()
