"""Fixtures of the collaborations tests: people with many collaborators."""

import pytest

from collaborations.models import Collaboration, ordered_pair
from profiles.models import Person, Profile
from tests.factories import ProfileFactory

MANY = 300


@pytest.fixture
def alex(db) -> Person:
    return ProfileFactory(person__username="alex_lord_", display_name="Alex Lord").person


@pytest.fixture
def david(db) -> Person:
    return ProfileFactory(person__username="david_stain", display_name="David").person


@pytest.fixture
def popular_person(person) -> Person:
    """A person (with a profile) who has been on cam with MANY others, half of whom have profiles."""
    others = Person.objects.bulk_create(Person(username=f"guest_{i:04d}") for i in range(MANY))
    Profile.objects.bulk_create(
        Profile(person=other, display_name=f"Guest {i}") for i, other in enumerate(others[::2])
    )
    Collaboration.objects.bulk_create(
        Collaboration(person_a=a, person_b=b) for a, b in (ordered_pair(person, other) for other in others)
    )
    return person
