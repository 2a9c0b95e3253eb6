"""Fixtures for the relationships tests: the owner's profile and a few people to relate to."""

import pytest
from django.conf import settings

from tests.factories import PersonFactory, ProfileFactory


@pytest.fixture
def owner(db):
    """The owner's person (MHC_OWNER_USERNAME), with a profile."""
    return ProfileFactory(person=PersonFactory(username=settings.MHC_OWNER_USERNAME, role="viewer")).person


@pytest.fixture
def rex(db):
    return ProfileFactory(person=PersonFactory(username="leather_rex")).person


@pytest.fixture
def sam(db):
    return ProfileFactory(person=PersonFactory(username="sub_sam", role="viewer")).person
