import math
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models

from collaborations.models import Collaboration
from collaborations.selectors import are_collaborators, collaborators_of
from collaborations.services import (
    collaboration_add,
    collaboration_add_group,
    collaboration_remove,
    collaboration_update,
)
from events.models import Event
from tests.collaborations.conftest import MANY
from tests.factories import PersonFactory

JAN_15 = datetime(2024, 1, 15, 21, 0, tzinfo=UTC)
MAR_02 = datetime(2024, 3, 2, 23, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_adding_b_to_a_shows_a_on_b_from_one_row(alex, david):
    collaboration, created = collaboration_add(person=alex, other=david, notes="seen together 2024-01-15")
    assert created
    assert Collaboration.objects.count() == 1
    assert [c.username for c in collaborators_of(alex)] == ["david_stain"]
    assert [c.username for c in collaborators_of(david)] == ["alex_lord_"]
    seen_from_david = collaborators_of(david)[0]
    assert (seen_from_david.display_name, seen_from_david.notes) == ("Alex Lord", "seen together 2024-01-15")
    assert seen_from_david.first_seen_at == collaboration.first_seen_at


@pytest.mark.django_db
def test_adding_the_pair_in_the_other_order_returns_the_same_row(alex, david):
    first, _ = collaboration_add(person=alex, other=david)
    second, created = collaboration_add(person=david, other=alex)
    assert not created
    assert first.pk == second.pk
    assert Collaboration.objects.count() == 1


@pytest.mark.django_db
def test_adding_again_replaces_notes_only_when_new_notes_are_given(alex, david):
    collaboration_add(person=alex, other=david, notes="seen together 2024-01-15")
    collaboration_add(person=david, other=alex)
    collaboration_add(person=david, other=alex, notes="   ")
    assert Collaboration.objects.get().notes == "seen together 2024-01-15"
    collaboration, _ = collaboration_add(person=david, other=alex, notes="  again on 2024-02-01 ")
    assert collaboration.notes == "again on 2024-02-01"
    assert Collaboration.objects.get().notes == "again on 2024-02-01"


@pytest.mark.django_db
def test_first_seen_defaults_to_now_and_only_moves_back(alex, david):
    before = datetime.now(tz=UTC)
    collaboration, _ = collaboration_add(person=alex, other=david)
    assert collaboration.first_seen_at >= before
    collaboration_add(person=alex, other=david, first_seen_at=MAR_02)
    collaboration_add(person=alex, other=david, first_seen_at=datetime.now(tz=UTC))
    assert Collaboration.objects.get().first_seen_at == MAR_02
    collaboration_add(person=alex, other=david, first_seen_at=JAN_15)
    assert Collaboration.objects.get().first_seen_at == JAN_15


@pytest.mark.django_db
def test_a_person_cannot_collaborate_with_themself(alex):
    with pytest.raises(ValidationError, match="own collaborator"):
        collaboration_add(person=alex, other=alex)
    assert not Collaboration.objects.exists()


@pytest.mark.django_db
def test_removing_works_from_either_side_and_says_whether_there_was_anything(alex, david):
    collaboration_add(person=alex, other=david)
    assert are_collaborators(david, alex)
    assert collaboration_remove(person=david, other=alex) is True
    assert not are_collaborators(alex, david)
    assert collaborators_of(alex) == []
    assert collaboration_remove(person=alex, other=david) is False


@pytest.mark.django_db
def test_are_collaborators_is_false_for_strangers_and_for_oneself(alex, david):
    assert not are_collaborators(alex, david)
    assert not are_collaborators(alex, alex)


@pytest.mark.django_db
def test_update_sets_notes_and_first_seen_exactly(alex, david):
    collaboration, _ = collaboration_add(person=alex, other=david, notes="old", first_seen_at=JAN_15)
    collaboration_update(collaboration=collaboration, notes="", first_seen_at=MAR_02)
    stored = Collaboration.objects.get()
    assert (stored.notes, stored.first_seen_at) == ("", MAR_02)


@pytest.mark.django_db
def test_collaborators_come_sorted_by_username_from_both_sides_of_the_pair(alex):
    for username in ["zed", "aaron", "mike"]:
        collaboration_add(person=PersonFactory(username=username), other=alex)
    collaboration_add(person=alex, other=PersonFactory(username="bob"))
    assert [c.username for c in collaborators_of(alex)] == ["aaron", "bob", "mike", "zed"]


@pytest.mark.django_db
def test_collaborators_of_a_popular_person_take_one_query(popular_person, django_assert_num_queries):
    with django_assert_num_queries(1):
        collaborators = collaborators_of(popular_person)
        names = [(c.username, c.display_name, c.notes, c.first_seen_at, c.url) for c in collaborators]
    assert len(names) == MANY
    assert names[0][:2] == ("guest_0000", "Guest 0")
    assert names[1][:2] == ("guest_0001", "")


@pytest.mark.django_db
def test_a_group_adds_every_pair_once(alex, david):
    brick = PersonFactory(username="bricktiger")
    result = collaboration_add_group(
        people=[alex, david, brick, alex], notes="group show", first_seen_at=JAN_15
    )
    assert (result.pairs, result.created) == (3, 3)
    assert Collaboration.objects.count() == 3
    assert {c.username for c in collaborators_of(brick)} == {"alex_lord_", "david_stain"}
    assert set(Collaboration.objects.values_list("notes", "first_seen_at")) == {("group show", JAN_15)}


@pytest.mark.django_db
def test_running_a_group_again_changes_nothing(alex, david):
    people = [alex, david, *PersonFactory.create_batch(3)]
    collaboration_add_group(people=people, notes="group show")
    before = list(Collaboration.objects.order_by("pk").values())
    result = collaboration_add_group(people=list(reversed(people)), notes="group show")
    assert (result.pairs, result.created) == (10, 0)
    assert list(Collaboration.objects.order_by("pk").values()) == before
    collaboration_add_group(people=people)
    assert list(Collaboration.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_group_keeps_existing_pairs_and_gives_them_new_notes(alex, david):
    existing, _ = collaboration_add(person=alex, other=david, notes="old", first_seen_at=JAN_15)
    result = collaboration_add_group(
        people=[alex, david, PersonFactory()], notes="group show", first_seen_at=MAR_02
    )
    assert (result.pairs, result.created) == (3, 2)
    existing.refresh_from_db()
    assert (existing.notes, existing.first_seen_at) == ("group show", JAN_15)


def _inserted(model) -> list:
    auto = models.AutoField | models.BigAutoField
    return [field for field in model._meta.concrete_fields if not isinstance(field, auto)]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 12, 50])
def test_a_group_takes_the_same_few_statements_whatever_its_size(size, django_assert_num_queries):
    people = PersonFactory.create_batch(size)
    collaboration_add_group(people=people[:2], notes="earlier show")
    pairs = size * (size - 1) // 2
    new = pairs - 1
    # SQLite caps a statement's parameters (999), so it alone splits big inserts into batches (of
    # the columns inserted: an auto-increment key is not); events go at most 1,000 a statement.
    batches = math.ceil(new / connection.ops.bulk_batch_size(_inserted(Collaboration), range(new)))
    event_batch = min(1000, connection.ops.bulk_batch_size(_inserted(Event), range(new)))
    event_batches = math.ceil(new / event_batch)
    # savepoint, read the pairs, insert the new ones, notes, dates, their events, release the savepoint
    with django_assert_num_queries(5 + batches + event_batches):
        result = collaboration_add_group(people=people, notes="big show", first_seen_at=JAN_15)
    assert (result.pairs, result.created) == (pairs, new)
    assert Collaboration.objects.count() == pairs


@pytest.mark.django_db
@pytest.mark.parametrize("size", [0, 1])
def test_a_group_of_fewer_than_two_people_is_refused(alex, size):
    with pytest.raises(ValidationError, match="at least two"):
        collaboration_add_group(people=[alex] * size)
    with pytest.raises(ValidationError, match="at least two"):
        collaboration_add_group(people=[alex, alex])
    assert not Collaboration.objects.exists()
