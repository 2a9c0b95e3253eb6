import pytest
from django.conf import settings

from profiles.models import Person
from relationships.models import Relationship, RelationshipHistory
from relationships.services import relationship_create, relationship_update
from tests.factories import PersonFactory, ProfileFactory, RelationshipFactory


def _url(username: str, rest: str = "") -> str:
    return f"/api/profile/{username}/relationships{rest}"


@pytest.mark.django_db
def test_adding_a_dom_answers_201_with_the_relationship_and_its_id(api_client, owner, rex, owner_user):
    response = api_client.post(
        _url(owner.username),
        {"related_username": "Leather_Rex", "type": "dom", "tier": "tier2", "started_at": "2024-05-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    relationship = Relationship.objects.get()
    assert body["id"] == relationship.pk
    assert body["username"] == owner.username
    assert (body["related_username"], body["related_url"]) == ("leather_rex", "/profile/leather_rex/")
    assert (body["type"], body["tier"], body["stars"], body["status"]) == ("dom", "tier2", 2, "active")
    assert body["started_at"] == "2024-05-01"
    assert RelationshipHistory.objects.get().changed_by == owner_user


@pytest.mark.django_db
def test_adding_an_unseen_valid_username_creates_the_person(token_client, rex):
    response = token_client.post(
        _url(rex.username), {"related_username": "brand_new_guy", "type": "friend"}, format="json"
    )
    assert response.status_code == 201
    assert Person.objects.filter(username="brand_new_guy").exists()
    assert response.json()["tier"] == "tier1"


@pytest.mark.django_db
def test_a_person_without_a_profile_can_have_relationships(api_client, bare_person, rex):
    response = api_client.post(_url(bare_person.username), {"related_username": "leather_rex", "type": "sub"})
    assert response.status_code == 201
    assert api_client.get(_url(bare_person.username)).json()["count"] == 1


@pytest.mark.django_db
def test_the_owner_can_add_a_relationship_before_their_own_person_exists(api_client, rex, settings):
    settings.MHC_OWNER_USERNAME = "fresh_owner"
    assert api_client.get(_url("fresh_owner")).status_code == 404  # reading creates nothing
    assert not Person.objects.filter(username="fresh_owner").exists()
    response = api_client.post(_url("fresh_owner"), {"related_username": "leather_rex", "type": "dom"})
    assert response.status_code == 201
    assert Relationship.objects.get().profile.person.username == "fresh_owner"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "allowed"),
    [
        ({"type": "lover"}, "type", "friend, acquaintance, blocked"),
        ({"type": 7}, "type", "dom, sub, partner"),
        ({"type": ["dom"]}, "type", "dom, sub, partner"),
        ({"type": "dom", "tier": "tier0"}, "tier", "tier1, tier2, tier3"),
        ({"type": "dom", "status": "married"}, "status", "potential, active, occasional, on_hold"),
    ],
)
def test_a_bad_type_tier_or_status_is_400_listing_the_allowed_values(
    api_client, owner, payload, field, allowed
):
    response = api_client.post(
        _url(owner.username), {"related_username": "leather_rex", **payload}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert allowed in body["detail"]
    assert field in body["errors"]
    assert not Relationship.objects.exists()
    assert not Person.objects.filter(username="leather_rex").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "dom"}, "related_username"),
        ({"type": "dom", "related_username": "not a name!"}, "related_username"),
        ({"type": "dom", "related_username": "x" * 65}, "related_username"),
        ({"type": "dom", "related_username": "leather_rex", "started_at": "last summer"}, "started_at"),
        (
            {
                "type": "dom",
                "related_username": "leather_rex",
                "started_at": "2024-05-01",
                "ended_at": "2024-01-01",
            },
            "ended_at",
        ),
        ({"related_username": "leather_rex"}, "type"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_adds_nothing(api_client, owner, payload, field):
    response = api_client.post(_url(owner.username), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_a_relationship_with_oneself_is_400(api_client, owner):
    response = api_client.post(_url(owner.username), {"related_username": owner.username, "type": "friend"})
    assert response.status_code == 400
    assert "themself" in response.json()["detail"]
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_a_refused_add_leaves_no_newly_created_person_behind(api_client, settings):
    settings.MHC_OWNER_USERNAME = "fresh_owner"
    response = api_client.post(_url("fresh_owner"), {"related_username": "fresh_owner", "type": "friend"})
    assert response.status_code == 400
    assert "themself" in response.json()["detail"]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_is_409_and_changes_nothing(api_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    response = api_client.post(
        _url(owner.username), {"related_username": "leather_rex", "type": "dom", "tier": "tier1"}
    )
    assert response.status_code == 409
    assert "already has leather_rex as Dom" in response.json()["detail"]
    assert Relationship.objects.get().tier == "tier2"
    assert RelationshipHistory.objects.count() == 1


@pytest.mark.django_db
def test_unknown_profile_is_404(api_client):
    assert api_client.get(_url("nobody_here")).status_code == 404
    response = api_client.post(_url("nobody_here"), {"related_username": "leather_rex", "type": "dom"})
    assert response.status_code == 404
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_listing_a_profiles_relationships_is_paginated(api_client, owner, rex, sam):
    RelationshipFactory(profile=owner.profile, related_person=sam, type="sub")
    RelationshipFactory(profile=owner.profile, related_person=rex, type="dom")
    RelationshipFactory(profile=rex.profile, related_person=sam, type="friend")
    body = api_client.get(_url(owner.username)).json()
    assert body["count"] == 2
    assert {"next", "previous"} <= set(body)
    assert [(r["related_username"], r["type"]) for r in body["results"]] == [
        ("leather_rex", "dom"),
        ("sub_sam", "sub"),
    ]
    assert api_client.get(_url(owner.username) + "?limit=1").json()["next"]


@pytest.mark.django_db
def test_patch_changes_the_tier_and_the_history_shows_it(api_client, owner, rex, owner_user):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    response = api_client.patch(_url(owner.username, f"/{relationship.pk}"), {"tier": "tier1"}, format="json")
    assert response.status_code == 200
    assert (response.json()["tier"], response.json()["stars"]) == ("tier1", 3)
    history = api_client.get(_url(owner.username, "/history")).json()
    assert history["count"] == 2
    latest = history["results"][0]
    assert latest["action"] == "changed"
    assert latest["old"] == {"type": "dom", "tier": "tier2", "status": "active"}
    assert latest["new"] == {"type": "dom", "tier": "tier1", "status": "active"}
    assert latest["changed_by"] == owner_user.username
    assert latest["text"] == "Dom · Tier 2 → Tier 1"
    assert history["results"][1]["changed_by"] is None


@pytest.mark.django_db
def test_patch_changes_type_status_notes_and_dates(api_client, owner, rex):
    relationship = relationship_create(profile=owner.profile, person=rex, type="friend")
    response = api_client.patch(
        _url(owner.username, f"/{relationship.pk}"),
        {"type": "dom", "status": "on_hold", "notes": "Paused", "started_at": "2024-01-01", "ended_at": None},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["type"], body["status"], body["notes"], body["started_at"]) == (
        "dom",
        "on_hold",
        "Paused",
        "2024-01-01",
    )
    assert RelationshipHistory.objects.count() == 2


@pytest.mark.django_db
def test_patch_to_a_type_the_pair_already_has_is_409(api_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    friend = relationship_create(profile=owner.profile, person=rex, type="friend")
    response = api_client.patch(_url(owner.username, f"/{friend.pk}"), {"type": "dom"}, format="json")
    assert response.status_code == 409
    friend.refresh_from_db()
    assert friend.type == "friend"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"tier": "best"}, "tier"),
        ({"status": ""}, "status"),
        ({"type": None}, "type"),
        ({"ended_at": "2020-01-01"}, "detail"),  # before the stored start: the model's rule
    ],
)
def test_bad_patch_is_400_and_changes_nothing(api_client, owner, rex, payload, field):
    relationship = relationship_create(
        profile=owner.profile, person=rex, type="dom", started_at="2024-01-01", changed_by=None
    )
    response = api_client.patch(_url(owner.username, f"/{relationship.pk}"), payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body.get("errors", {"detail": []})
    assert "__all__" not in body["detail"]
    stored = Relationship.objects.get()
    assert (stored.tier, stored.status, stored.type, stored.ended_at) == ("tier1", "active", "dom", None)


@pytest.mark.django_db
def test_a_relationship_is_only_reachable_through_its_own_profile(api_client, owner, rex):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom")
    assert api_client.get(_url(owner.username, f"/{relationship.pk}")).status_code == 200
    assert api_client.patch(_url(rex.username, f"/{relationship.pk}"), {"tier": "tier3"}).status_code == 404
    assert api_client.delete(_url(rex.username, f"/{relationship.pk}")).status_code == 404
    assert api_client.get(_url(owner.username, "/99999999999999999999999")).status_code == 404
    assert api_client.put(_url(owner.username, f"/{relationship.pk}"), {"tier": "tier3"}).status_code == 405
    assert Relationship.objects.get().tier == "tier1"


@pytest.mark.django_db
def test_delete_removes_it_and_the_history_keeps_the_removal(api_client, owner, rex):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom")
    assert api_client.delete(_url(owner.username, f"/{relationship.pk}")).status_code == 204
    assert not Relationship.objects.exists()
    assert api_client.delete(_url(owner.username, f"/{relationship.pk}")).status_code == 404
    results = api_client.get(_url(owner.username, "/history")).json()["results"]
    assert [(r["action"], r["related_username"], r["old"], r["new"]) for r in results] == [
        ("removed", "leather_rex", {"type": "dom", "tier": "tier1", "status": "active"}, None),
        ("created", "leather_rex", None, {"type": "dom", "tier": "tier1", "status": "active"}),
    ]


@pytest.mark.django_db
def test_the_filter_endpoint_finds_my_tier1_doms(api_client, owner, rex, sam):
    alex = ProfileFactory(person=PersonFactory(username="alex_lord_")).person
    RelationshipFactory(profile=owner.profile, related_person=rex, type="dom", tier="tier1")
    RelationshipFactory(profile=owner.profile, related_person=alex, type="dom", tier="tier2")
    RelationshipFactory(profile=owner.profile, related_person=sam, type="sub", tier="tier1")
    RelationshipFactory(profile=alex.profile, related_person=sam, type="dom", tier="tier1")
    mine = api_client.get("/api/relationships?type=dom&tier=tier1&mine=true").json()
    assert [(r["username"], r["related_username"]) for r in mine["results"]] == [
        (owner.username, "leather_rex")
    ]
    everyones = api_client.get("/api/relationships?type=dom&tier=tier1").json()
    assert {r["username"] for r in everyones["results"]} == {owner.username, "alex_lord_"}
    assert api_client.get("/api/relationships?status=active&mine=1").json()["count"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=doms", "Type must be one of: dom, sub"),
        ("tier=1", "Tier must be one of: tier1, tier2, tier3"),
        ("status=x", "Status must be one of"),
        ("mine=perhaps", "mine"),
    ],
)
def test_bad_filters_are_400_with_the_allowed_values(api_client, query, message):
    response = api_client.get(f"/api/relationships?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/relationships", _url(settings.MHC_OWNER_USERNAME), _url(settings.MHC_OWNER_USERNAME, "/history")],
)
def test_anonymous_scripts_get_401(client, url):
    assert client.get(url).status_code == 401
    assert (
        client.post(_url(settings.MHC_OWNER_USERNAME), {"related_username": "a", "type": "dom"}).status_code
        == 401
    )
    assert not Person.objects.exists()


def _many_relationships(owner, count: int) -> None:
    """`count` doms on the owner's profile (half moved to tier 1), each with a sub of their own."""
    for index in range(count):
        other = ProfileFactory().person
        relationship = relationship_create(profile=owner.profile, person=other, type="dom", tier="tier2")
        relationship_create(profile=other.profile, person=owner, type="sub", changed_by=None)
        if index % 2:
            relationship_update(relationship=relationship, tier="tier1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, person+profile, count, page
        (_url(settings.MHC_OWNER_USERNAME), 5),
        (_url(settings.MHC_OWNER_USERNAME, "/history"), 5),
        # session, user, count, page
        ("/api/relationships", 4),
        ("/api/relationships?mine=true&type=dom", 4),
    ],
)
def test_list_endpoints_use_a_constant_number_of_queries(
    api_client, owner, url, queries, django_assert_num_queries
):
    _many_relationships(owner, 3)
    with django_assert_num_queries(queries):
        small = api_client.get(url).json()["count"]
    _many_relationships(owner, 12)
    with django_assert_num_queries(queries):
        assert api_client.get(url).json()["count"] > small


@pytest.mark.django_db
def test_the_schema_describes_every_relationships_path(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in [
        "/api/relationships",
        "/api/profile/{username}/relationships",
        "/api/profile/{username}/relationships/{id}",
        "/api/profile/{username}/relationships/history",
    ]:
        assert f'"{path}"' in schema or f"{path}:" in schema
    assert "Add a dom" in schema
    assert "RelationshipTypeEnum" in schema
