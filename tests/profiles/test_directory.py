"""The directory's sorting, its relationship filters and its bulk edits (and their APIs)."""

import pytest

from attributes.models import AttributeHistory, PersonAttribute
from events.models import Event
from profiles.selectors import PeopleSearch
from relationships.models import Relationship, RelationshipHistory
from relationships.services import owner_profile_get_or_create, relationship_create
from tests.factories import PersonFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def usernames_in(html: str) -> list[str]:
    table = html.split('id="people-table"')[1]
    return [row.split('<a href="/profile/')[1].split("/")[0] for row in table.split("<tr>")[2:]]


def test_columns_sort_both_ways_and_say_so(auth_client):
    for username, followers in (("amy", 10), ("bob", 300), ("cid", None)):
        ProfileFactory(person=PersonFactory(username=username), followers=followers)
    html = auth_client.get("/people/?sort=-followers").content.decode()
    assert usernames_in(html) == ["bob", "amy", "cid"]  # no follower count sorts last
    assert '<th class="num" aria-sort="descending"><a href="?sort=followers"' in html
    assert usernames_in(auth_client.get("/people/?sort=followers").content.decode()) == ["amy", "bob", "cid"]
    assert usernames_in(auth_client.get("/people/?sort=nonsense").content.decode()) == ["amy", "bob", "cid"]


def test_the_directory_filters_by_my_relationship_type_and_tier(auth_client):
    owner = owner_profile_get_or_create()
    rex, sam, kim = (PersonFactory(username=name) for name in ("rex", "sam", "kim"))
    relationship_create(profile=owner, person=rex, type="dom", tier="tier1")
    relationship_create(profile=owner, person=sam, type="dom", tier="tier2")
    relationship_create(profile=owner, person=kim, type="friend", tier="tier1")
    assert usernames_in(auth_client.get("/people/?relationship=dom").content.decode()) == ["rex", "sam"]
    assert usernames_in(auth_client.get("/people/?relationship=dom&tier=tier1").content.decode()) == ["rex"]
    api = auth_client.get("/api/people?relationship=dom&tier=tier1&search=r").json()
    assert [p["username"] for p in api["results"]] == ["rex"]


def test_the_api_sorts_and_filters_by_role_as_the_page_does(api_client):
    for username, followers, role in (("amy", 10, "model"), ("bob", 300, "model"), ("cid", 5, "viewer")):
        ProfileFactory(person=PersonFactory(username=username, role=role), followers=followers)
    body = api_client.get("/api/people?role=model&sort=-followers").json()
    assert [p["username"] for p in body["results"]] == ["bob", "amy"]
    assert api_client.get("/api/people?role=&sort=").json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("sort=nonsense", "sort", "Sort must be one of: username, -username"),
        ("role=alien", "role", "Role"),
        ("relationship=lover", "relationship", "My relationship must be one of: dom, sub, partner"),
        ("tier=tier9", "tier", "Tier must be one of: tier1, tier2, tier3."),
        ("attribute=no_such_thing", "attribute", "Attribute must be one of: "),
    ],
)
def test_a_bad_filter_value_is_a_400_in_the_api_and_ignored_by_the_page_which_says_so(
    api_client, auth_client, query, parameter, message
):
    ProfileFactory(person=PersonFactory(username="amy"))
    response = api_client.get(f"/api/people?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert message in response.json()["detail"]
    page = auth_client.get(f"/people/?{query}").content.decode()
    assert usernames_in(page) == ["amy"]
    assert f"The {parameter} filter was ignored" in page


def test_bulk_setting_an_attribute_writes_a_history_row_and_an_event_per_person(api_client):
    people = PersonFactory.create_batch(3)
    usernames = [person.username for person in people]
    response = api_client.post(
        "/api/attributes/bulk",
        {"usernames": usernames, "key": "watch_list", "value": True, "why": "raid last night"},
        format="json",
    )
    assert response.json() == {"people": 3, "changed": 3}
    assert PersonAttribute.objects.filter(attribute_id="watch_list", value=True).count() == 3
    assert AttributeHistory.objects.filter(attribute_key="watch_list").count() == 3
    events = Event.objects.filter(kind="attribute.set")
    assert sorted(events.values_list("username", flat=True)) == sorted(usernames)
    assert set(events.values_list("why", flat=True)) == {"raid last night"}

    again = api_client.post(
        "/api/attributes/bulk", {"usernames": usernames, "key": "watch_list", "value": True}, format="json"
    )
    assert again.json() == {"people": 3, "changed": 0}


def test_a_bulk_edit_with_an_unknown_person_or_attribute_changes_nobody(api_client):
    person = PersonFactory()
    unknown = api_client.post(
        "/api/attributes/bulk",
        {"usernames": [person.username, "nobody_here"], "key": "watch_list", "value": True},
        format="json",
    )
    assert unknown.status_code == 404
    assert "nobody_here" in unknown.json()["detail"]
    bad_key = api_client.post(
        "/api/attributes/bulk",
        {"usernames": [person.username], "key": "no_such", "value": True},
        format="json",
    )
    assert bad_key.status_code == 400
    assert not PersonAttribute.objects.exists()
    assert not Event.objects.filter(kind__startswith="attribute").exists()


def test_bulk_adding_a_relationship_type_for_several_people(api_client):
    people = PersonFactory.create_batch(2)
    response = api_client.post(
        "/api/relationships/bulk",
        {"usernames": [person.username for person in people], "type": "friend", "tier": "tier2"},
        format="json",
    )
    assert response.json() == {"people": 2, "changed": 2}
    assert Relationship.objects.of_owner().filter(type="friend", tier="tier2").count() == 2
    assert RelationshipHistory.objects.count() == 2
    assert Event.objects.filter(kind="relationship.added").count() == 2
    bad = api_client.post(
        "/api/relationships/bulk", {"usernames": [people[0].username], "type": "lover"}, format="json"
    )
    assert bad.status_code == 400


def test_bulk_adding_without_a_tier_keeps_the_tier_of_a_relationship_that_exists(api_client):
    held, new = PersonFactory.create_batch(2)
    url = "/api/relationships/bulk"
    api_client.post(url, {"usernames": [held.username], "type": "friend", "tier": "tier2"}, format="json")

    both = [held.username, new.username]
    response = api_client.post(url, {"usernames": both, "type": "friend"}, format="json")

    assert response.json() == {"people": 2, "changed": 1}
    tiers = dict(Relationship.objects.of_owner().values_list("related_person__username", "tier"))
    assert tiers == {held.username: "tier2", new.username: "tier1"}


# The display-name part is read by the matching profiles' keys when they are few, and by
# walking the people in username order when they are more than NAME_MATCHES_READ: both ways.
BOTH_WAYS = pytest.mark.parametrize("name_matches_read", [2000, 10], ids=["by-keys", "walk"])


@BOTH_WAYS
def test_a_search_pages_through_both_halves_in_username_order_counting_each_person_once(
    api_client, monkeypatch, name_matches_read
):
    monkeypatch.setattr(PeopleSearch, "NAME_MATCHES_READ", name_matches_read)
    for n in range(30):
        ProfileFactory(person=PersonFactory(username=f"rex_{n:02d}"), display_name=f"Rex {n}")
    for n in range(30):
        ProfileFactory(person=PersonFactory(username=f"zed_{n:02d}"), display_name=f"T-Rex fan {n}")
    ProfileFactory(person=PersonFactory(username="nobody_else"), display_name="Sam")

    first = api_client.get("/api/people?search=rex&limit=25").json()
    assert first["count"] == 60
    assert [row["username"] for row in first["results"]][:2] == ["rex_00", "rex_01"]
    last = api_client.get("/api/people?search=rex&limit=25&offset=50").json()
    assert [row["username"] for row in last["results"]] == [f"zed_{n:02d}" for n in range(20, 30)]
    everyone = []
    for offset in (0, 25, 50):
        everyone += [
            row["username"]
            for row in api_client.get(f"/api/people?search=rex&limit=25&offset={offset}").json()["results"]
        ]
    assert everyone == sorted(everyone)
    assert len(set(everyone)) == 60


@BOTH_WAYS
def test_a_directory_search_takes_the_same_queries_however_many_match(
    auth_client, django_assert_num_queries, monkeypatch, name_matches_read
):
    monkeypatch.setattr(PeopleSearch, "NAME_MATCHES_READ", name_matches_read)
    for n in range(120):
        ProfileFactory(person=PersonFactory(username=f"rex_{n:03d}"))
    # session, user, the count, each part of the page (username, former username, and for the
    # display name its matches' keys, then the page), the attribute filter's choices, the
    # latest-note column, the attributes the bulk edit can set
    with django_assert_num_queries(10):
        html = auth_client.get("/people/?q=rex").content.decode()
    assert "120 found" in html
