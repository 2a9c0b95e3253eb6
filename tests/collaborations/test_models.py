"""The pair rules the database itself enforces, on SQLite and PostgreSQL alike."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from collaborations.models import Collaboration, ordered_pair
from tests.factories import CollaborationFactory, PersonFactory

# Ids whose order is easy to get wrong: high bit set or not, differing only in the last byte,
# in the middle group, all zeros against all ones.
TRICKY_IDS = [
    "00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000001",
    "00000000-0000-0000-0000-0000000000ff",
    "00000000-0000-8000-0000-000000000000",
    "0000ffff-0000-0000-0000-000000000000",
    "7fffffff-ffff-ffff-ffff-ffffffffffff",
    "80000000-0000-0000-0000-000000000000",
    "9fffffff-0000-0000-0000-000000000000",
    "a0000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-fffffffffffe",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
]


@pytest.mark.django_db
def test_python_pair_order_agrees_with_the_database_check():
    people = [PersonFactory(id=uuid.UUID(value)) for value in TRICKY_IDS]
    people += PersonFactory.create_batch(20)
    for index, first in enumerate(people):
        for second in people[index + 1 :]:
            person_a, person_b = ordered_pair(second, first)
            Collaboration.objects.create(person_a=person_a, person_b=person_b)
    total = len(people) * (len(people) - 1) // 2
    assert Collaboration.objects.count() == total
    # The database's own comparison says every stored pair is in order.
    assert Collaboration.objects.filter(person_a__lt=F("person_b")).count() == total


@pytest.mark.django_db
def test_a_pair_stored_in_the_wrong_order_is_refused_by_the_database():
    first, second = ordered_pair(PersonFactory(), PersonFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.create(person_a=second, person_b=first)
    assert not Collaboration.objects.exists()


@pytest.mark.django_db
def test_a_person_paired_with_themself_is_refused_by_the_database():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.create(person_a=person, person_b=person)


@pytest.mark.django_db
def test_the_same_pair_cannot_be_stored_twice():
    collaboration = CollaborationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.create(person_a=collaboration.person_a, person_b=collaboration.person_b)
    assert Collaboration.objects.count() == 1


@pytest.mark.django_db
def test_model_validation_names_the_broken_rule():
    collaboration = CollaborationFactory()
    duplicate = Collaboration(person_a=collaboration.person_a, person_b=collaboration.person_b)
    with pytest.raises(ValidationError, match="already collaborators"):
        duplicate.full_clean()
    reversed_pair = Collaboration(person_a=collaboration.person_b, person_b=collaboration.person_a)
    with pytest.raises(ValidationError, match="ordered"):
        reversed_pair.full_clean()


@pytest.mark.django_db
def test_deleting_a_person_deletes_their_collaborations():
    collaboration = CollaborationFactory()
    CollaborationFactory(person_a=collaboration.person_a)
    collaboration.person_a.delete()
    assert not Collaboration.objects.exists()


def test_the_collaborator_of_a_pair_is_the_other_person():
    first, second = PersonFactory.build(), PersonFactory.build()
    collaboration = Collaboration(person_a=first, person_b=second)
    assert collaboration.collaborator_of(first) == second
    assert collaboration.collaborator_of(second) == first


@pytest.mark.django_db
def test_look_ups_from_either_side_of_the_pair_have_an_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Collaboration._meta.db_table)
    leading = {c["columns"][0] for c in constraints.values() if c["index"] or c["unique"]}
    assert {"person_a_id", "person_b_id"} <= leading
