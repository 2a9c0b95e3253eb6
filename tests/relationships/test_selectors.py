from datetime import UTC, date, datetime

import pytest

from relationships.models import RelationshipHistory
from relationships.selectors import (
    owner_relationships_with,
    relationship_events,
    relationships,
    relationships_as_of,
    relationships_of,
    relationships_with,
)
from relationships.services import relationship_create, relationship_remove, relationship_update
from tests.factories import PersonFactory, ProfileFactory, RelationshipFactory


@pytest.fixture
def web(owner, rex, sam):
    """The owner's dom (tier 1), dom (tier 2) and sub; and rex's own friend, who is a dom elsewhere."""
    alex = ProfileFactory(person=PersonFactory(username="alex_lord_")).person
    kai = PersonFactory(username="kinky_kai")
    RelationshipFactory(profile=owner.profile, related_person=alex, type="dom", tier="tier2")
    RelationshipFactory(profile=owner.profile, related_person=rex, type="dom", tier="tier1")
    RelationshipFactory(profile=owner.profile, related_person=sam, type="sub", tier="tier1", status="ended")
    RelationshipFactory(profile=rex.profile, related_person=kai, type="friend", tier="tier1")
    RelationshipFactory(profile=alex.profile, related_person=kai, type="dom", tier="tier1")
    return {"alex": alex, "kai": kai}


def _pairs(found) -> list[tuple[str, str, str]]:
    return [(r.profile.person.username, r.related_person.username, r.type) for r in found]


@pytest.mark.django_db
def test_my_doms_are_the_dom_relationships_on_the_owners_profile_closest_first(web, owner):
    assert _pairs(relationships(type="dom", mine=True)) == [
        (owner.username, "leather_rex", "dom"),
        (owner.username, "alex_lord_", "dom"),
    ]


@pytest.mark.django_db
def test_everyones_relationships_include_those_between_other_people(web, owner):
    assert set(_pairs(relationships(type="dom"))) == {
        (owner.username, "leather_rex", "dom"),
        (owner.username, "alex_lord_", "dom"),
        ("alex_lord_", "kinky_kai", "dom"),
    }
    assert _pairs(relationships(tier="tier1", type="friend")) == [("leather_rex", "kinky_kai", "friend")]
    assert _pairs(relationships(status="ended")) == [(owner.username, "sub_sam", "sub")]
    assert len(relationships()) == 5


@pytest.mark.django_db
def test_a_profiles_relationships_come_doms_first_then_subs(web, owner):
    assert [r.related_person.username for r in relationships_of(owner.profile)] == [
        "leather_rex",
        "alex_lord_",
        "sub_sam",
    ]
    assert list(relationships_of(None)) == []


@pytest.mark.django_db
def test_relationships_with_a_person_list_the_owners_first(web, owner):
    kai = web["kai"]
    RelationshipFactory(profile=owner.profile, related_person=kai, type="acquaintance", tier="tier3")
    assert [r.profile.person.username for r in relationships_with(kai)] == [
        owner.username,
        "alex_lord_",
        "leather_rex",
    ]
    assert [r.type for r in owner_relationships_with(kai)] == ["acquaintance"]


@pytest.mark.django_db
def test_a_persons_events_include_changes_on_their_profile_and_those_naming_them(owner, rex, sam):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    relationship_create(profile=rex.profile, person=sam, type="sub")
    relationship_remove(relationship=relationship_create(profile=owner.profile, person=sam, type="friend"))
    assert [
        (e.profile.person.username, e.related_person.username, e.action) for e in relationship_events(rex, 10)
    ] == [
        ("leather_rex", "sub_sam", "created"),
        (owner.username, "leather_rex", "created"),
    ]
    assert len(relationship_events(sam, 2)) == 2


def _as_of(person, day: date) -> list[tuple[str, str]]:
    moment = datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC)
    return [(row.related_username, row.type) for row in relationships_as_of(person, moment)]


@pytest.mark.django_db
def test_as_of_a_date_a_relationship_shows_only_between_its_own_start_and_end(owner, rex, sam):
    relationship_create(profile=owner.profile, person=rex, type="friend", started_at=date(2024, 6, 1))
    relationship_create(
        profile=owner.profile, person=sam, type="sub", started_at=date(2023, 1, 1), ended_at=date(2024, 3, 1)
    )
    # Both were recorded on 2024-01-01, as an import of older history would date them.
    RelationshipHistory.objects.update(changed_at=datetime(2024, 1, 1, tzinfo=UTC))

    assert _as_of(owner, date(2024, 2, 1)) == [("sub_sam", "sub")]
    assert _as_of(owner, date(2024, 3, 1)) == [("sub_sam", "sub")]  # its last day
    assert _as_of(owner, date(2024, 6, 1)) == [("leather_rex", "friend")]  # its first day


@pytest.mark.django_db
def test_as_of_a_date_a_relationship_keeps_its_own_dates_through_a_later_change_of_type(owner, rex):
    friend = relationship_create(
        profile=owner.profile, person=rex, type="friend", started_at=date(2024, 6, 1)
    )
    RelationshipHistory.objects.update(changed_at=datetime(2024, 1, 1, tzinfo=UTC))
    relationship_update(relationship=friend, type="dom")

    assert _as_of(owner, date(2024, 2, 1)) == []
    assert _as_of(owner, date(2024, 7, 1)) == [("leather_rex", "friend")]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_relationships_as_of_take_the_same_queries_however_many(owner, count, django_assert_num_queries):
    for _ in range(count):
        relationship_create(profile=owner.profile, person=PersonFactory(), type="dom")
    with django_assert_num_queries(2):  # the history, the relationships' own dates
        assert len(relationships_as_of(owner, datetime.now(UTC))) == count
