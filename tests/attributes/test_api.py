import pytest

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from attributes.selectors import attribute_value, history_of
from attributes.services import attribute_set
from profiles.services import profile_update
from tests.factories import AttributeDefinitionFactory, PersonFactory

pytestmark = pytest.mark.django_db

DEFINITIONS = "/api/attributes/definitions"


def attributes_url(person) -> str:
    return f"/api/profile/{person.username}/attributes"


def test_definitions_are_listed_in_order_paginated(api_client):
    AttributeDefinitionFactory(key="good_cam", label="Good cam quality", sort_order=100)
    body = api_client.get(DEFINITIONS).json()
    assert body["count"] == 10
    keys = [entry["key"] for entry in body["results"]]
    assert keys[0] == "watch_list"
    assert keys[-1] == "good_cam"
    smoke = next(entry for entry in body["results"] if entry["key"] == "profile_smoke")
    assert smoke["is_system"]
    assert smoke["is_auto_derived"]
    assert smoke["show_as_badge"]
    assert smoke["color"] == "amber"


def test_creating_a_custom_definition(api_client):
    response = api_client.post(
        DEFINITIONS,
        {"key": "regular_tipper", "label": "Regular tipper", "color": "teal", "show_as_badge": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["key"] == "regular_tipper"
    assert (body["is_system"], body["is_auto_derived"], body["show_as_badge"]) == (False, False, True)
    assert api_client.get(f"{DEFINITIONS}/regular_tipper").json()["label"] == "Regular tipper"


def test_creating_a_duplicate_key_is_a_409(api_client):
    response = api_client.post(DEFINITIONS, {"key": "watch_list", "label": "Again"}, format="json")
    assert response.status_code == 409
    assert "watch_list" in response.json()["detail"]
    assert AttributeDefinition.objects.get(key="watch_list").label == "Watchlist"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"label": "No key"}, "key"),
        ({"key": "Bad Key!", "label": "x"}, "key"),
        ({"key": "ok_key"}, "label"),
        ({"key": "ok_key", "label": "x", "color": "chartreuse"}, "color"),
        ({"key": "ok_key", "label": "x", "show_as_badge": "sometimes"}, "show_as_badge"),
        ({"key": "ok_key", "label": "x", "sort_order": "first"}, "sort_order"),
        ({"key": "k" * 51, "label": "x"}, "key"),
        ({"key": ["ok_key"], "label": "x"}, "key"),
    ],
)
def test_a_bad_definition_is_a_400_naming_the_field(api_client, payload, field):
    response = api_client.post(DEFINITIONS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not AttributeDefinition.objects.filter(is_system=False).exists()


def test_a_new_definition_after_one_ordered_last_stays_in_the_order_range(api_client):
    AttributeDefinitionFactory(key="at_the_end", label="At the end", sort_order=1_000_000)
    response = api_client.post(DEFINITIONS, {"key": "after_it", "label": "After it"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["sort_order"] == 1_000_000
    keys = [entry["key"] for entry in api_client.get(DEFINITIONS).json()["results"]]
    assert keys[-2:] == ["after_it", "at_the_end"]
    echoed = api_client.patch(f"{DEFINITIONS}/after_it", response.json(), format="json")
    assert echoed.status_code == 200, echoed.json()


def test_a_definition_can_be_changed_but_not_its_key(api_client):
    AttributeDefinitionFactory(key="good_cam")
    response = api_client.patch(
        f"{DEFINITIONS}/good_cam", {"label": "Great cam", "color": "pink"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["label"], response.json()["color"]) == ("Great cam", "pink")
    response = api_client.patch(f"{DEFINITIONS}/good_cam", {"key": "great_cam"}, format="json")
    assert response.status_code == 400
    assert "key" in response.json()["errors"]
    assert AttributeDefinition.objects.filter(key="good_cam").exists()
    assert api_client.patch(f"{DEFINITIONS}/nothing_here", {"label": "x"}, format="json").status_code == 404
    assert api_client.put(f"{DEFINITIONS}/good_cam", {"label": "x"}, format="json").status_code == 405


def test_system_definitions_can_be_relabelled_but_keep_their_kind(api_client):
    response = api_client.patch(
        f"{DEFINITIONS}/profile_smoke", {"label": "Smokes", "is_auto_derived": False}, format="json"
    )
    assert response.status_code == 200
    smoke = AttributeDefinition.objects.get(key="profile_smoke")
    assert (smoke.label, smoke.is_auto_derived, smoke.is_system) == ("Smokes", True, True)


def test_deleting_a_custom_definition_removes_values_and_keeps_history(api_client, owner_user):
    AttributeDefinitionFactory(key="good_cam")
    person = PersonFactory()
    attribute_set(person=person, key="good_cam", value=True)
    assert api_client.delete(f"{DEFINITIONS}/good_cam").status_code == 204
    assert not AttributeDefinition.objects.filter(key="good_cam").exists()
    assert not PersonAttribute.objects.exists()
    last = history_of(person).first()
    assert (last.attribute_key, last.old_value, last.new_value, last.changed_by) == (
        "good_cam",
        True,
        False,
        owner_user,
    )
    assert api_client.delete(f"{DEFINITIONS}/good_cam").status_code == 404


def test_deleting_a_system_definition_is_a_400_with_the_reason(api_client):
    person = PersonFactory()
    attribute_set(person=person, key="banned_me", value=True)
    response = api_client.delete(f"{DEFINITIONS}/banned_me")
    assert response.status_code == 409
    assert "system attribute" in response.json()["detail"]
    assert AttributeDefinition.objects.filter(key="banned_me").exists()
    assert attribute_value(person, "banned_me") is True


def test_a_persons_attributes_list_every_definition_with_the_value(api_client, bare_person):
    attribute_set(person=bare_person, key="banned_me", value=True)
    response = api_client.get(attributes_url(bare_person))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    by_key = {entry["key"]: entry for entry in body["results"]}
    assert {"key", "label", "color", "value", "show_as_badge", "is_auto_derived", "set_at"} <= set(
        by_key["banned_me"]
    )
    assert by_key["banned_me"]["value"] is True
    assert by_key["banned_me"]["set_at"]
    assert by_key["watch_list"]["value"] is False
    assert by_key["watch_list"]["set_at"] is None
    assert api_client.get(f"/api/profile/{bare_person.username.upper()}/attributes").status_code == 200
    assert api_client.get("/api/profile/nobody_here/attributes").status_code == 404


def test_patching_sets_attributes_and_records_the_user(token_client, owner_user, bare_person):
    response = token_client.patch(
        attributes_url(bare_person), {"watch_list": True, "had_interaction": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    values = {entry["key"]: entry["value"] for entry in response.json()["results"]}
    assert values["watch_list"]
    assert values["had_interaction"]
    assert not values["banned_me"]
    assert set(history_of(bare_person).values_list("attribute_key", flat=True)) == {
        "watch_list",
        "had_interaction",
    }
    assert all(change.changed_by == owner_user for change in history_of(bare_person))
    token_client.patch(attributes_url(bare_person), {"watch_list": False}, format="json")
    assert attribute_value(bare_person, "watch_list") is False


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"watch_list": True, "no_such_thing": True}, "no_such_thing"),
        ({"watch_list": True, "profile_smoke": False}, "profile_smoke"),
        ({"watch_list": True, "banned_me": "maybe"}, "banned_me"),
        ({"watch_list": True, "banned_me": None}, "banned_me"),
        ({}, None),
        ([{"watch_list": True}], None),
        ("watch_list", None),
    ],
)
def test_a_bad_patch_is_a_400_naming_the_key_and_changes_nothing(api_client, bare_person, payload, named):
    response = api_client.patch(attributes_url(bare_person), payload, format="json")
    assert response.status_code == 400
    if named:
        assert named in response.json()["detail"]
        assert named in response.json()["errors"]
    assert not PersonAttribute.objects.filter(person=bare_person).exists()
    assert not AttributeHistory.objects.filter(person=bare_person).exists()


@pytest.mark.parametrize("key", ["\\u0000", "watch\\u0000list", "\\ud800"])
def test_a_key_the_database_cannot_hold_is_an_unknown_attribute(api_client, bare_person, key):
    body = f'{{"watch_list": true, "{key}": true}}'.encode()
    response = api_client.generic("PATCH", attributes_url(bare_person), body, content_type="application/json")
    assert response.status_code == 400
    assert "There is no attribute" in response.json()["detail"]
    assert not PersonAttribute.objects.filter(person=bare_person).exists()


def test_history_is_newest_first_and_filters_by_key(api_client, owner_user, bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True, changed_by=owner_user)
    attribute_set(person=bare_person, key="banned_me", value=True, changed_by=owner_user)
    profile_update(person=bare_person, smoke_drink="Yes/No")
    attribute_set(person=bare_person, key="watch_list", value=False, changed_by=owner_user)
    body = api_client.get(f"{attributes_url(bare_person)}/history").json()
    assert body["count"] == 4
    first = body["results"][0]
    assert first == {
        "attribute_key": "watch_list",
        "label": "Watchlist",
        "old_value": True,
        "new_value": False,
        "changed_at": first["changed_at"],
        "changed_by": "owner",
    }
    assert body["results"][1]["changed_by"] is None  # derived by the app
    only = api_client.get(f"{attributes_url(bare_person)}/history?key=watch_list").json()
    assert [(e["old_value"], e["new_value"]) for e in only["results"]] == [(True, False), (None, True)]
    assert api_client.get(f"{attributes_url(bare_person)}/history?key=nothing").json()["count"] == 0


def test_list_endpoints_keep_a_flat_query_count(api_client, bare_person, django_assert_num_queries):
    for n in range(30):
        AttributeDefinitionFactory(key=f"custom_{n}")
    for n in range(60):
        attribute_set(person=bare_person, key=f"custom_{n % 30}", value=n < 30)
    # session + user (+ person), then the list and its count
    with django_assert_num_queries(4):
        assert api_client.get(DEFINITIONS).status_code == 200
    with django_assert_num_queries(4):
        assert api_client.get(attributes_url(bare_person)).status_code == 200
    with django_assert_num_queries(5):
        assert api_client.get(f"{attributes_url(bare_person)}/history").json()["count"] == 60


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", DEFINITIONS),
        ("post", DEFINITIONS),
        ("delete", f"{DEFINITIONS}/watch_list"),
        ("get", "/api/profile/someone/attributes"),
        ("patch", "/api/profile/someone/attributes"),
        ("get", "/api/profile/someone/attributes/history"),
    ],
)
def test_anonymous_scripts_get_401(client, method, url):
    response = getattr(client, method)(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/attributes/definitions"])
    assert {"get", "patch", "delete"} <= set(paths["/api/attributes/definitions/{key}"])
    assert {"get", "patch"} <= set(paths["/api/profile/{username}/attributes"])
    assert "get" in paths["/api/profile/{username}/attributes/history"]
