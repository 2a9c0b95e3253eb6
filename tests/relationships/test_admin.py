import pytest

from relationships.models import Relationship, RelationshipHistory
from relationships.services import relationship_create


@pytest.mark.django_db
def test_admin_lists_filters_and_searches_relationships(
    auth_client, owner, rex, sam, django_assert_num_queries
):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    relationship_create(profile=owner.profile, person=sam, type="sub", tier="tier2")
    with django_assert_num_queries(5):
        html = auth_client.get("/admin/relationships/relationship/").content.decode()
    assert "leather_rex" in html
    assert "sub_sam" in html
    filtered = auth_client.get("/admin/relationships/relationship/?type__exact=sub").content.decode()
    assert "sub_sam" in filtered
    assert "leather_rex" not in filtered
    assert "leather_rex" not in auth_client.get("/admin/relationships/relationship/?q=sub_").content.decode()


@pytest.mark.django_db
def test_adding_in_the_admin_goes_through_the_service_and_keeps_history(auth_client, owner, rex, owner_user):
    response = auth_client.post(
        "/admin/relationships/relationship/add/",
        {
            "profile": owner.profile.pk,
            "related_person": rex.pk,
            "type": "dom",
            "tier": "tier2",
            "status": "active",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = RelationshipHistory.objects.get()
    assert (entry.action, entry.new_tier, entry.changed_by) == ("created", "tier2", owner_user)


@pytest.mark.django_db
def test_the_admin_refuses_a_self_relationship_and_a_duplicate(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    form = {"profile": owner.profile.pk, "type": "dom", "tier": "tier1", "status": "active", "notes": ""}
    itself = auth_client.post("/admin/relationships/relationship/add/", {**form, "related_person": owner.pk})
    assert itself.status_code == 200
    assert "themself" in itself.content.decode()
    duplicate = auth_client.post("/admin/relationships/relationship/add/", {**form, "related_person": rex.pk})
    assert duplicate.status_code == 200
    assert duplicate.content.decode().count("already has this relationship") == 1
    assert Relationship.objects.count() == 1


@pytest.mark.django_db
def test_changing_and_deleting_in_the_admin_write_history(auth_client, owner, rex, owner_user):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    url = f"/admin/relationships/relationship/{relationship.pk}/change/"
    response = auth_client.post(url, {"type": "dom", "tier": "tier1", "status": "active", "notes": "closer"})
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = RelationshipHistory.objects.first()
    assert (changed.action, changed.old_tier, changed.new_tier, changed.changed_by) == (
        "changed",
        "tier2",
        "tier1",
        owner_user,
    )
    response = auth_client.post(
        f"/admin/relationships/relationship/{relationship.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Relationship.objects.exists()
    assert RelationshipHistory.objects.first().action == "removed"


@pytest.mark.django_db
def test_history_is_read_only_in_the_admin(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    entry = RelationshipHistory.objects.get()
    assert "leather_rex" in auth_client.get("/admin/relationships/relationshiphistory/").content.decode()
    assert auth_client.get("/admin/relationships/relationshiphistory/add/").status_code == 403
    view = auth_client.get(f"/admin/relationships/relationshiphistory/{entry.pk}/change/")
    assert view.status_code == 200
    assert "/delete/" not in view.content.decode()
    assert (
        "delete_selected" not in auth_client.get("/admin/relationships/relationshiphistory/").content.decode()
    )
    posted = auth_client.post(
        f"/admin/relationships/relationshiphistory/{entry.pk}/change/", {"new_tier": "tier3"}
    )
    assert posted.status_code == 403
    assert (
        auth_client.post(
            f"/admin/relationships/relationshiphistory/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert RelationshipHistory.objects.get().new_tier == "tier1"


@pytest.mark.django_db
def test_the_admin_refuses_changing_to_a_type_the_pair_already_has(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    friend = relationship_create(profile=owner.profile, person=rex, type="friend")
    url = f"/admin/relationships/relationship/{friend.pk}/change/"
    response = auth_client.post(url, {"type": "dom", "tier": "tier1", "status": "active", "notes": ""})
    assert response.status_code == 200
    assert response.content.decode().count("already has this relationship") == 1
    friend.refresh_from_db()
    assert friend.type == "friend"


@pytest.mark.django_db
def test_deleting_a_person_in_the_admin_takes_their_relationships_and_history_along(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    assert "Are you sure" in auth_client.get(f"/admin/profiles/person/{rex.pk}/delete/").content.decode()
    assert auth_client.post(f"/admin/profiles/person/{rex.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Relationship.objects.exists()
    assert not RelationshipHistory.objects.exists()
