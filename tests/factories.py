"""Factories for every app's models. Each builds a valid row with the fewest arguments."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from profiles.models import Person, Profile


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"person_{n:04d}")
    role = Person.Role.MODEL


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    person = factory.SubFactory(PersonFactory)
    display_name = factory.LazyAttribute(lambda p: p.person.username.replace("_", " ").title())
    location = "Berlin, Germany"
    age = 30
    followers = 1200
    rank = 4321


# collaborations


class CollaborationFactory(DjangoModelFactory):
    """A collaboration of two new people, stored in the order the database requires."""

    class Meta:
        model = "collaborations.Collaboration"

    person_a = factory.SubFactory(PersonFactory)
    person_b = factory.SubFactory(PersonFactory)
    notes = "seen together 2024-01-15"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from collaborations.models import ordered_pair

        kwargs["person_a"], kwargs["person_b"] = ordered_pair(kwargs["person_a"], kwargs["person_b"])
        return super()._create(model_class, *args, **kwargs)


# --- relationships ---------------------------------------------------------------------------
class RelationshipFactory(DjangoModelFactory):
    """A relationship written straight to the table (no history row: services write those)."""

    class Meta:
        model = "relationships.Relationship"

    profile = factory.SubFactory(ProfileFactory)
    related_person = factory.SubFactory(PersonFactory)
    type = "friend"
    tier = "tier1"
    status = "active"


# --- media ---------------------------------------------------------------------------------
class AffiliateSnapshotFactory(DjangoModelFactory):
    """A snapshot without an image (images need files: tests store them through media_create)."""

    class Meta:
        model = "media.AffiliateSnapshot"

    person = factory.SubFactory(PersonFactory)
    room_subject = "Hello room #goal"
    num_users = 120
    num_followers = 5000
    tags = factory.LazyFunction(lambda: ["goal"])
    is_hd = True
    current_show = "public"
    seconds_online = 600


# --- attributes ---
from attributes.models import AttributeDefinition  # noqa: E402


class AttributeDefinitionFactory(DjangoModelFactory):
    """A custom attribute (system ones are seeded by a migration)."""

    class Meta:
        model = AttributeDefinition
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"custom_{n}")
    label = factory.LazyAttribute(lambda d: d.key.replace("_", " ").capitalize())
    color = "teal"
    sort_order = factory.Sequence(lambda n: 100 + n)


# --- notes ---------------------------------------------------------------------------------------
class NoteFactory(DjangoModelFactory):
    """A plain note (use `notes.services.note_create` for chat logs and tip menus: it formats them)."""

    class Meta:
        model = "notes.Note"

    profile = factory.SubFactory(ProfileFactory)
    category = "note"
    content = factory.Sequence(lambda n: f"Note number {n}.")
