from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mhc.exceptions import Conflict
from profiles.models import Person, Profile
from relationships.models import Relationship, RelationshipHistory
from relationships.selectors import relationship_history
from relationships.services import (
    owner_profile_get_or_create,
    profile_get_or_create,
    relationship_change_type,
    relationship_create,
    relationship_remove,
    relationship_set,
    relationship_update,
)
from tests.factories import UserFactory


def _history(profile) -> list[tuple]:
    """The profile's history, oldest first, as (action, old type, new type, old tier, new tier, old
    status, new status)."""
    return [
        (h.action, h.old_type, h.new_type, h.old_tier, h.new_tier, h.old_status, h.new_status)
        for h in reversed(relationship_history(profile))
    ]


@pytest.mark.django_db
def test_adding_a_relationship_records_who_added_it_in_the_history(owner, rex):
    user = UserFactory()
    relationship = relationship_create(
        profile=owner.profile,
        person=rex,
        type="dom",
        tier="tier2",
        started_at=date(2024, 5, 1),
        changed_by=user,
    )
    assert (relationship.type, relationship.tier, relationship.status) == ("dom", "tier2", "active")
    [entry] = relationship_history(owner.profile)
    assert (entry.action, entry.new_type, entry.new_tier, entry.new_status) == (
        "created",
        "dom",
        "tier2",
        "active",
    )
    assert (entry.old_type, entry.old_tier, entry.old_status) == ("", "", "")
    assert entry.changed_by == user
    assert entry.related_person == rex
    assert entry.text == "added as Dom · Tier 2 · Active"


@pytest.mark.django_db
def test_a_person_cannot_be_in_a_relationship_with_themself(owner):
    with pytest.raises(ValidationError, match="themself"):
        relationship_create(profile=owner.profile, person=owner, type="friend")
    assert not Relationship.objects.exists()
    assert not RelationshipHistory.objects.exists()


@pytest.mark.django_db
def test_the_model_refuses_a_self_relationship_when_cleaned(owner):
    with pytest.raises(ValidationError) as caught:
        Relationship(profile=owner.profile, related_person=owner, type="friend").full_clean()
    assert "themself" in str(caught.value.message_dict["related_person"])


@pytest.mark.django_db
def test_the_same_type_twice_with_the_same_person_is_a_conflict_but_another_type_is_fine(owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    with pytest.raises(Conflict, match="already has leather_rex as Dom"):
        relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier3")
    relationship_create(profile=owner.profile, person=rex, type="friend")
    assert sorted(Relationship.objects.values_list("type", "tier")) == [("dom", "tier1"), ("friend", "tier1")]
    assert RelationshipHistory.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"type": "lover"}, "Type must be one of: dom, sub, partner, friend, acquaintance, blocked."),
        ({"type": "dom", "tier": "tier9"}, "Tier must be one of: tier1, tier2, tier3."),
        ({"type": "dom", "status": "gone"}, "Status must be one of: potential, active, occasional"),
    ],
)
def test_a_bad_type_tier_or_status_lists_the_allowed_values_and_writes_nothing(owner, rex, values, message):
    with pytest.raises(ValidationError, match=message):
        relationship_create(profile=owner.profile, person=rex, **values)
    assert not Relationship.objects.exists()
    assert not RelationshipHistory.objects.exists()


@pytest.mark.django_db
def test_a_relationship_cannot_end_before_it_started(owner, rex):
    with pytest.raises(ValidationError, match="cannot end before it started"):
        relationship_create(
            profile=owner.profile,
            person=rex,
            type="dom",
            started_at=date(2024, 5, 1),
            ended_at=date(2024, 1, 1),
        )
    relationship = relationship_create(
        profile=owner.profile, person=rex, type="dom", started_at=date(2024, 5, 1)
    )
    with pytest.raises(ValidationError, match="cannot end before it started"):
        relationship_update(relationship=relationship, ended_at=date(2024, 4, 30))
    relationship.refresh_from_db()
    assert relationship.ended_at is None


@pytest.mark.django_db
def test_changing_the_tier_and_the_status_each_write_one_history_row(owner, rex):
    user = UserFactory()
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    relationship = relationship_update(relationship=relationship, tier="tier1", changed_by=user)
    relationship = relationship_update(relationship=relationship, status="on_hold")
    assert (relationship.tier, relationship.status) == ("tier1", "on_hold")
    assert _history(owner.profile) == [
        ("created", "", "dom", "", "tier2", "", "active"),
        ("changed", "dom", "dom", "tier2", "tier1", "active", "active"),
        ("changed", "dom", "dom", "tier1", "tier1", "active", "on_hold"),
    ]
    tier_change = relationship_history(owner.profile)[1]
    assert tier_change.changed_by == user
    assert tier_change.text == "Dom · Tier 2 → Tier 1"


@pytest.mark.django_db
def test_changing_only_notes_or_dates_or_nothing_writes_no_history(owner, rex):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom")
    relationship = relationship_update(
        relationship=relationship, notes="Thursdays", started_at=date(2023, 1, 2)
    )
    relationship_update(relationship=relationship, tier="tier1")
    relationship.refresh_from_db()
    assert (relationship.notes, relationship.started_at) == ("Thursdays", date(2023, 1, 2))
    assert RelationshipHistory.objects.count() == 1


@pytest.mark.django_db
def test_update_refuses_fields_that_are_not_editable(owner, rex, sam):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom")
    with pytest.raises(ValidationError, match="cannot be edited"):
        relationship_update(relationship=relationship, related_person=sam)
    relationship.refresh_from_db()
    assert relationship.related_person == rex


@pytest.mark.django_db
def test_changing_the_type_keeps_tier_and_notes_and_is_in_the_history(owner, rex):
    relationship = relationship_create(
        profile=owner.profile, person=rex, type="friend", tier="tier2", notes="n"
    )
    relationship = relationship_change_type(relationship=relationship, type="dom")
    assert (relationship.type, relationship.tier, relationship.notes) == ("dom", "tier2", "n")
    assert _history(owner.profile)[-1] == ("changed", "friend", "dom", "tier2", "tier2", "active", "active")
    assert relationship_history(owner.profile)[0].text == "Friend → Dom"


@pytest.mark.django_db
def test_changing_the_type_to_one_the_pair_already_has_is_a_conflict(owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    friend = relationship_create(profile=owner.profile, person=rex, type="friend")
    with pytest.raises(Conflict):
        relationship_change_type(relationship=friend, type="dom")
    friend.refresh_from_db()
    assert friend.type == "friend"
    assert RelationshipHistory.objects.count() == 2


@pytest.mark.django_db
def test_set_creates_then_updates_leaving_values_not_given(owner, rex):
    relationship, created = relationship_set(
        profile=owner.profile, person=rex, type="dom", tier="tier2", notes="first"
    )
    assert created
    again, created = relationship_set(profile=owner.profile, person=rex, type="dom", tier="tier1")
    assert not created
    assert again.pk == relationship.pk
    assert (again.tier, again.notes, again.status) == ("tier1", "first", "active")
    assert [row[0] for row in _history(owner.profile)] == ["created", "changed"]


@pytest.mark.django_db
def test_removing_keeps_the_history_readable(owner, rex):
    user = UserFactory()
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    relationship_update(relationship=relationship, tier="tier1")
    relationship_remove(relationship=relationship, changed_by=user)
    assert not Relationship.objects.exists()
    assert _history(owner.profile)[-1] == ("removed", "dom", "", "tier1", "", "active", "")
    removed = relationship_history(owner.profile)[0]
    assert removed.changed_by == user
    assert removed.related_person.username == "leather_rex"
    assert removed.text == "removed as Dom · Tier 1 · Active"
    relationship_remove(relationship=relationship)  # already gone: nothing more happens
    assert RelationshipHistory.objects.count() == 3


@pytest.mark.django_db
def test_history_rows_are_never_changed(owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    entry = RelationshipHistory.objects.get()
    entry.new_tier = "tier3"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert RelationshipHistory.objects.get().new_tier == "tier1"


@pytest.mark.django_db
def test_the_owners_profile_is_created_when_missing_and_reused_after(settings):
    settings.MHC_OWNER_USERNAME = "the_owner"
    profile = owner_profile_get_or_create()
    assert profile.person.username == "the_owner"
    assert owner_profile_get_or_create() == profile
    assert Person.objects.filter(username="the_owner").count() == 1


@pytest.mark.django_db
def test_a_person_without_a_profile_gets_an_empty_one_for_their_relationships(bare_person, rex):
    profile = profile_get_or_create(person=bare_person)
    relationship_create(profile=profile, person=rex, type="friend")
    assert Profile.objects.get(person=bare_person).relationships.get().related_person == rex
    assert profile_get_or_create(person=Person.objects.get(pk=bare_person.pk)) == profile
